package io.github.idempotency.engine;

import io.micrometer.common.KeyValues;

/**
 * The default {@link IdempotencyObservationConvention}: observation {@code idempotency.operation} with the
 * low-cardinality tags {@code outcome}, {@code record}, {@code store} and {@code operation}, and no
 * high-cardinality ones.
 */
public class DefaultIdempotencyObservationConvention implements IdempotencyObservationConvention {

    /** Name of the observation, and of the timer Micrometer makes of it. */
    public static final String NAME = "idempotency.operation";

    private static final String UNKNOWN = "unknown";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(IdempotencyObservationContext context) {
        return "idempotency " + context.getOperationName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(IdempotencyObservationContext context) {
        IdempotencyOutcome outcome = context.getOutcome();
        return KeyValues.of(
                "outcome",
                (outcome != null) ? outcome.tagValue() : UNKNOWN,
                "record",
                context.getRecordResult().tagValue(),
                "store",
                context.getStoreName(),
                "operation",
                context.getOperationName());
    }
}
