package io.github.idempotency.engine;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code idempotency.operation} observation. Declare a bean of this type to replace the
 * {@link DefaultIdempotencyObservationConvention}, for example to add a tag; keep every tag
 * low-cardinality, and never put a key or a user in one.
 */
public interface IdempotencyObservationConvention extends ObservationConvention<IdempotencyObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof IdempotencyObservationContext;
    }
}
