package io.github.idempotency.engine;

import io.micrometer.observation.Observation;

/**
 * The {@code idempotency.operation} observation of one call and the context its tags are read from; a
 * shared instance that does nothing when no observation registry is in use, so that an unobserved call
 * costs no allocation.
 */
final class ObservedOperation {

    static final ObservedOperation NOT_OBSERVED = new ObservedOperation(null, null);

    private final Observation observation;

    private final IdempotencyObservationContext context;

    ObservedOperation(Observation observation, IdempotencyObservationContext context) {
        this.observation = observation;
        this.context = context;
    }

    /**
     * Makes the observation the current one on this thread until the scope closes, so that the store calls
     * made meanwhile are its children.
     */
    Observation.Scope openScope() {
        return (this.observation != null) ? this.observation.openScope() : Observation.Scope.NOOP;
    }

    /**
     * Stops the observation with what became of the call.
     * @param outcome the outcome, {@code null} when the call failed before one was decided
     * @param error the failure behind the outcome, or {@code null}
     */
    void stop(IdempotencyOutcome outcome, RecordResult recordResult, Throwable error) {
        if (this.observation == null) {
            return;
        }
        this.context.setOutcome(outcome);
        this.context.setRecordResult(recordResult);
        if (error != null) {
            this.observation.error(error);
        }
        this.observation.stop();
    }
}
