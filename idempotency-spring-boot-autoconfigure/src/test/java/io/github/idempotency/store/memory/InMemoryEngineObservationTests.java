package io.github.idempotency.store.memory;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.engine.IdempotencyEngineObservationContractTests;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * {@link IdempotencyEngineObservationContractTests} for the in-memory store, which is unavailable when full.
 */
class InMemoryEngineObservationTests extends IdempotencyEngineObservationContractTests {

    @Override
    protected IdempotencyStore createStore() {
        return new InMemoryIdempotencyStore(Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER, 1000);
    }

    @Override
    protected IdempotencyStore createUnavailableStore() {
        InMemoryIdempotencyStore full =
                new InMemoryIdempotencyStore(Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER, 1);
        full.claim(new IdempotencyKey("", "occupant"), "occupant", Duration.ofHours(1));
        return full;
    }

    @Override
    protected void breakStore(IdempotencyKey key) {
        Assumptions.abort("The in-memory store cannot fail once a key is claimed");
    }

    @Override
    protected String storeName() {
        return "memory";
    }
}
