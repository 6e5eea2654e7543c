package io.github.idempotency.web;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.IdempotencyTransactions;
import io.github.idempotency.StoredResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends the claims of idempotent requests: records the response (or releases the key) as the
 * {@link IdempotencyRecordPolicy} decides, then sends the response that was held back. In the transactional
 * mode, recording commits the transaction and releasing rolls it back.
 */
public class IdempotentExchanges {

    private static final Log logger = LogFactory.getLog(IdempotentExchanges.class);

    private final IdempotencyStore store;

    private final IdempotencyRecordPolicy recordPolicy;

    private final ResponseRecorder recorder;

    private final Duration lease;

    private final ProblemResponseWriter problemWriter = new ProblemResponseWriter();

    /**
     * Creates the finisher of claims.
     * @param store where claims are completed or released
     * @param recordPolicy decides which responses are recorded
     * @param settings the application's settings
     * @param excludedHeaders response headers never recorded
     * @param includedHeaders response headers recorded; empty records all that are not excluded
     */
    public IdempotentExchanges(
            IdempotencyStore store,
            IdempotencyRecordPolicy recordPolicy,
            IdempotencySettings settings,
            Collection<String> excludedHeaders,
            Collection<String> includedHeaders) {
        this.store = store;
        this.recordPolicy = recordPolicy;
        this.recorder = new ResponseRecorder(excludedHeaders, includedHeaders);
        this.lease = settings.lease();
    }

    /**
     * Records the response or releases the key, then sends the response.
     */
    void finish(IdempotentExchange exchange, CapturingResponseWrapper response) throws IOException {
        if (!exchange.finish()) {
            return;
        }
        HandlerOutcome outcome = new HandlerOutcome(response.getStatus(), exchange.getHandledException());
        boolean record = this.recordPolicy.shouldRecord(outcome);
        IdempotencyTransactions.Transaction transaction = exchange.getTransaction();
        if (transaction == null) {
            if (record) {
                complete(exchange, this.recorder.record(response));
            } else {
                releaseClaim(exchange);
            }
        } else if (!record) {
            transaction.rollback();
        } else if (!commit(exchange, transaction, this.recorder.record(response))) {
            response.reset();
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.STORE_UNAVAILABLE,
                    "The request's changes could not be committed, so it had no effect; retry it with the same key",
                    null);
        }
        response.sendCapturedBody();
    }

    /**
     * Ends a claim whose response will not be recorded: releases the key, or rolls the transaction back.
     */
    void abandon(IdempotentExchange exchange) {
        if (!exchange.finish()) {
            return;
        }
        if (exchange.getTransaction() != null) {
            exchange.getTransaction().rollback();
        } else {
            releaseClaim(exchange);
        }
    }

    private boolean commit(
            IdempotentExchange exchange, IdempotencyTransactions.Transaction transaction, StoredResponse stored) {
        if (transaction.isRollbackOnly()) {
            // Work that joined the transaction failed and took the claim down with it; the answer is
            // deterministic all the same (a decline thrown from a transactional service), so record it on
            // its own, as the lease mode would.
            transaction.rollback();
            recordAfterRollback(exchange, stored);
            return true;
        }
        try {
            if (!this.store.complete(
                    exchange.getKey(),
                    exchange.getToken(),
                    stored,
                    exchange.getEndpoint().ttl())) {
                throw new IdempotencyStoreException("The claim of the transaction is gone");
            }
            transaction.commit();
            return true;
        } catch (IdempotencyStoreException ex) {
            transaction.rollback();
            logger.error(
                    "Idempotent request with key '" + exchange.getKey().key()
                            + "' could not be committed; it had no effect",
                    ex);
            return false;
        }
    }

    private void recordAfterRollback(IdempotentExchange exchange, StoredResponse stored) {
        try {
            ClaimResult claim = this.store.claim(exchange.getKey(), exchange.getFingerprint(), this.lease);
            if (claim instanceof ClaimResult.Claimed claimed) {
                this.store.complete(
                        exchange.getKey(),
                        claimed.token(),
                        stored,
                        exchange.getEndpoint().ttl());
            } else {
                logger.info("Response to idempotency key '" + exchange.getKey().key()
                        + "' was not recorded after its transaction rolled back: a retry already claimed the key");
            }
        } catch (IdempotencyStoreException ex) {
            logger.warn(
                    "Response to idempotency key '" + exchange.getKey().key()
                            + "' was not recorded after its transaction rolled back; a retry runs it again",
                    ex);
        }
    }

    private void complete(IdempotentExchange exchange, StoredResponse stored) {
        try {
            if (!this.store.complete(
                    exchange.getKey(),
                    exchange.getToken(),
                    stored,
                    exchange.getEndpoint().ttl())) {
                logger.warn("Response to idempotency key '" + exchange.getKey().key()
                        + "' was sent but not recorded: the lease expired and another request took the key over");
            }
        } catch (IdempotencyStoreException ex) {
            // The key stays in progress until its lease expires, so a retry cannot silently run twice.
            logger.error(
                    "Response to idempotency key '" + exchange.getKey().key()
                            + "' was sent but could not be recorded; the key stays in progress until its lease expires",
                    ex);
        }
    }

    private void releaseClaim(IdempotentExchange exchange) {
        try {
            if (!this.store.release(exchange.getKey(), exchange.getToken())) {
                logger.warn("Idempotency key '" + exchange.getKey().key()
                        + "' was not released: the lease expired and another request took the key over");
            }
        } catch (IdempotencyStoreException ex) {
            logger.error(
                    "Idempotency key '" + exchange.getKey().key()
                            + "' could not be released; a retry gets 409 until its lease expires",
                    ex);
        }
    }
}
