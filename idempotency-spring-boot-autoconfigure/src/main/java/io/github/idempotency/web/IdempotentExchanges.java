package io.github.idempotency.web;

import io.github.idempotency.engine.Execution;
import java.io.IOException;
import java.util.Collection;

/**
 * Ends the claims of idempotent requests: records the response (or releases the key) as the
 * {@link IdempotencyRecordPolicy} decides, then sends the response that was held back. In the transactional
 * mode, recording commits the transaction and releasing rolls it back.
 */
public class IdempotentExchanges {

    private final IdempotencyRecordPolicy recordPolicy;

    private final ResponseRecorder recorder;

    private final ProblemResponseWriter problemWriter = new ProblemResponseWriter();

    /**
     * Creates the finisher of claims.
     * @param recordPolicy decides which responses are recorded
     * @param excludedHeaders response headers never recorded
     * @param includedHeaders response headers recorded; empty records all that are not excluded
     */
    public IdempotentExchanges(
            IdempotencyRecordPolicy recordPolicy,
            Collection<String> excludedHeaders,
            Collection<String> includedHeaders) {
        this.recordPolicy = recordPolicy;
        this.recorder = new ResponseRecorder(excludedHeaders, includedHeaders);
    }

    /**
     * Records the response or releases the key, then sends the response.
     */
    void finish(IdempotentExchange exchange, CapturingResponseWrapper response) throws IOException {
        Execution execution = exchange.getExecution();
        if (execution.isFinished()) {
            return;
        }
        HandlerOutcome outcome = new HandlerOutcome(response.getStatus(), exchange.getHandledException());
        if (!this.recordPolicy.shouldRecord(outcome)) {
            execution.abandon();
        } else if (!execution.complete(this.recorder.record(response))) {
            response.reset();
            this.problemWriter.writeStoreUnavailable(
                    response,
                    "The request's changes could not be committed, so it had no effect; retry it with the same key",
                    null);
        }
        response.sendCapturedBody();
    }

    /**
     * Ends a claim whose response will not be recorded: releases the key, or rolls the transaction back.
     */
    void abandon(IdempotentExchange exchange) {
        exchange.getExecution().abandon();
    }
}
