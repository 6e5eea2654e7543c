package io.github.idempotency.engine;

import io.github.idempotency.IdempotencyStore;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Starts the {@code idempotency.operation} observation of each call, for the engine and the front doors
 * alike. With {@link ObservationRegistry#NOOP}, or a registry without handlers, it starts nothing and
 * allocates nothing.
 */
public final class IdempotencyObservations {

    private static final DefaultIdempotencyObservationConvention DEFAULT_CONVENTION =
            new DefaultIdempotencyObservationConvention();

    /** The stores shipped with the starter, by class name: their classes may be absent from the class path. */
    private static final Map<String, String> STORE_NAMES = Map.of(
            "io.github.idempotency.store.jdbc.JdbcIdempotencyStore", "jdbc",
            "io.github.idempotency.store.redis.RedisIdempotencyStore", "redis",
            "io.github.idempotency.store.memory.InMemoryIdempotencyStore", "memory");

    private final ObservationRegistry registry;

    private final String storeName;

    private volatile IdempotencyObservationConvention convention;

    IdempotencyObservations(ObservationRegistry registry, String storeName) {
        Assert.notNull(registry, "'registry' must not be null");
        this.registry = registry;
        this.storeName = storeName;
    }

    /**
     * Returns the short name of a store, as the {@code store} tag and the health indicator give it:
     * {@code jdbc}, {@code redis} or {@code memory} for the stores shipped with the starter (and their
     * subclasses), the simple class name for any other.
     * @param store the store
     * @return its name
     */
    public static String storeName(IdempotencyStore store) {
        Class<?> type = ClassUtils.getUserClass(store);
        for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
            String name = STORE_NAMES.get(candidate.getName());
            if (name != null) {
                return name;
            }
        }
        return type.getSimpleName();
    }

    void setConvention(IdempotencyObservationConvention convention) {
        this.convention = convention;
    }

    String storeName() {
        return this.storeName;
    }

    /**
     * Starts the observation of a call.
     */
    ObservedOperation start(String operationName) {
        if (this.registry.isNoop()) {
            return ObservedOperation.NOT_OBSERVED;
        }
        IdempotencyObservationContext context = new IdempotencyObservationContext(operationName, this.storeName);
        Observation observation = Observation.createNotStarted(
                        this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
                .start();
        return new ObservedOperation(observation, context);
    }
}
