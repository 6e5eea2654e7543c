package io.github.idempotency.aop;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import java.time.Clock;

/**
 * {@link IdempotentMethodContractTests} on the {@link InMemoryIdempotencyStore}.
 */
class InMemoryIdempotentMethodTests extends IdempotentMethodContractTests {

    private final IdempotencyStore store =
            new InMemoryIdempotencyStore(Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER, 10_000);

    @Override
    protected IdempotencyStore store() {
        return this.store;
    }
}
