package io.github.idempotency.engine;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredRecord;
import io.github.idempotency.StoredResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Observes every call the engine makes to its store as {@code idempotency.store}, tagged with the store's
 * name, the store operation ({@code claim}, {@code complete}, {@code release}, {@code renew}) and its result
 * ({@code ok}, or {@code error} when it threw), so that dashboards can tell what the store costs per request.
 */
final class ObservedIdempotencyStore implements IdempotencyStore {

    /** Name of the observation, and of the timer Micrometer makes of it. */
    static final String NAME = "idempotency.store";

    private final IdempotencyStore delegate;

    private final ObservationRegistry registry;

    private final String storeName;

    ObservedIdempotencyStore(IdempotencyStore delegate, ObservationRegistry registry, String storeName) {
        this.delegate = delegate;
        this.registry = registry;
        this.storeName = storeName;
    }

    @Override
    public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
        return observe("claim", () -> this.delegate.claim(key, fingerprint, lease));
    }

    @Override
    public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
        return observe("complete", () -> this.delegate.complete(key, token, response, ttl));
    }

    @Override
    public boolean release(IdempotencyKey key, ClaimToken token) {
        return observe("release", () -> this.delegate.release(key, token));
    }

    @Override
    public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
        return observe("renew", () -> this.delegate.renew(key, token, lease));
    }

    @Override
    public Optional<StoredRecord> find(IdempotencyKey key) {
        return observe("find", () -> this.delegate.find(key));
    }

    @Override
    public boolean delete(IdempotencyKey key) {
        return observe("delete", () -> this.delegate.delete(key));
    }

    private <T> T observe(String operation, Supplier<T> call) {
        Observation observation = Observation.createNotStarted(NAME, this.registry)
                .contextualName("idempotency store " + operation)
                .lowCardinalityKeyValue("store", this.storeName)
                .lowCardinalityKeyValue("operation", operation)
                .start();
        try {
            T result = call.get();
            observation.lowCardinalityKeyValue("result", "ok");
            return result;
        } catch (RuntimeException | Error ex) {
            observation.lowCardinalityKeyValue("result", "error");
            observation.error(ex);
            throw ex;
        } finally {
            observation.stop();
        }
    }
}
