package io.github.idempotency.actuate;

import io.github.idempotency.engine.IdempotencyObservationContext;
import io.github.idempotency.engine.RecordResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Counts the executed calls whose end the store could not take, as {@value #NAME}: an outcome that could
 * not be recorded ({@code record=record_failed}) or a key that could not be released
 * ({@code record=release_failed}), tagged with the {@code store} and the {@code operation}. Each one was
 * logged at {@code ERROR} with what the operator must do; a rate above zero is worth an alert.
 *
 * <p>It counts the {@code idempotency.operation} observations that stop with such a result, so it counts
 * nothing while those observations are disabled.
 */
public class IdempotencyRecordFailureCounter implements ObservationHandler<IdempotencyObservationContext> {

    /** Name of the counter. */
    public static final String NAME = "idempotency.record.failures";

    private final MeterRegistry meterRegistry;

    /**
     * Creates a handler that counts in a registry.
     * @param meterRegistry where the counter lives
     */
    public IdempotencyRecordFailureCounter(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
    }

    @Override
    public void onStop(IdempotencyObservationContext context) {
        RecordResult result = context.getRecordResult();
        if (!result.isFailure()) {
            return;
        }
        Counter.builder(NAME)
                .description("Executed idempotent calls whose outcome could not be recorded or whose key could not"
                        + " be released")
                .tag("operation", context.getOperationName())
                .tag("store", context.getStoreName())
                .tag("record", result.tagValue())
                .register(this.meterRegistry)
                .increment();
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof IdempotencyObservationContext;
    }
}
