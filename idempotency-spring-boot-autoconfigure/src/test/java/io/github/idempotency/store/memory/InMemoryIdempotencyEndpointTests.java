package io.github.idempotency.store.memory;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.actuate.IdempotencyEndpointContractTests;
import java.time.Clock;

/**
 * {@link IdempotencyEndpointContractTests} on the in-memory store.
 */
class InMemoryIdempotencyEndpointTests extends IdempotencyEndpointContractTests {

    @Override
    protected IdempotencyStore createStore(ExpiredLeasePolicy expiredLeasePolicy) {
        return new InMemoryIdempotencyStore(Clock.systemUTC(), expiredLeasePolicy, 100);
    }
}
