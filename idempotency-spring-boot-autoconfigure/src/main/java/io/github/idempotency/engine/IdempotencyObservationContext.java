package io.github.idempotency.engine;

import io.micrometer.observation.Observation;

/**
 * The {@link Observation.Context} of one call of an idempotent operation, observed as
 * {@code idempotency.operation} from the claim (or the front door's refusal) to the moment its outcome is
 * recorded or its key released. It holds what the tags are made of: never the key, never the caller.
 */
public class IdempotencyObservationContext extends Observation.Context {

    private final String operationName;

    private final String storeName;

    private IdempotencyOutcome outcome;

    private RecordResult recordResult = RecordResult.NONE;

    /**
     * Creates a context.
     * @param operationName the operation's low-cardinality name ({@link IdempotentOperation#name()})
     * @param storeName the store's short name, such as {@code jdbc}
     */
    public IdempotencyObservationContext(String operationName, String storeName) {
        this.operationName = operationName;
        this.storeName = storeName;
    }

    /**
     * Returns the operation's name, such as {@code PaymentController#create(NewPayment)}.
     * @return the operation's name
     */
    public String getOperationName() {
        return this.operationName;
    }

    /**
     * Returns the store's short name: {@code jdbc}, {@code redis}, {@code memory}, or the simple class name
     * of a store of the application's own.
     * @return the store's name
     */
    public String getStoreName() {
        return this.storeName;
    }

    /**
     * Returns what became of the call, {@code null} until the engine decided.
     * @return the outcome
     */
    public IdempotencyOutcome getOutcome() {
        return this.outcome;
    }

    /**
     * Sets what became of the call.
     * @param outcome the outcome
     */
    public void setOutcome(IdempotencyOutcome outcome) {
        this.outcome = outcome;
    }

    /**
     * Returns how an executed call ended in the store; {@link RecordResult#NONE} for the other outcomes.
     * @return the record result
     */
    public RecordResult getRecordResult() {
        return this.recordResult;
    }

    /**
     * Sets how an executed call ended in the store.
     * @param recordResult the record result
     */
    public void setRecordResult(RecordResult recordResult) {
        this.recordResult = recordResult;
    }
}
