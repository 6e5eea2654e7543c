package io.github.idempotency.store.redis;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import java.time.Clock;

/**
 * {@link RedisIdempotencyStoreIT} with the claims of Redis before 7.0 ({@code SET NX}, then a read script),
 * which the store falls back to when the server refuses {@code SET ... NX GET}.
 */
class RedisReadScriptClaimIdempotencyStoreIT extends RedisIdempotencyStoreIT {

    @Override
    protected IdempotencyStore createStore(Clock clock, ExpiredLeasePolicy expiredLeasePolicy) {
        RedisIdempotencyStore store = (RedisIdempotencyStore) super.createStore(clock, expiredLeasePolicy);
        store.useReadScriptClaims();
        return store;
    }
}
