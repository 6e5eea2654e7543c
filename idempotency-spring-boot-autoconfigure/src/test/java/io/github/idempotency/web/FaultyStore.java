package io.github.idempotency.web;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredRecord;
import io.github.idempotency.StoredResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes calls to a real store, records what the web layer asked of it, and can be told to fail: the
 * web layer's answers to a failing store are what these tests check, not the store's behaviour.
 */
class FaultyStore implements IdempotencyStore {

    private final IdempotencyStore delegate;

    final Queue<Duration> completedTtls = new ConcurrentLinkedQueue<>();

    final AtomicInteger renewals = new AtomicInteger();

    volatile CountDownLatch renewed = new CountDownLatch(0);

    volatile boolean claimFails;

    volatile boolean completeFails;

    volatile boolean renewFails;

    volatile boolean releaseFails;

    FaultyStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    void heal() {
        this.claimFails = false;
        this.completeFails = false;
        this.renewFails = false;
        this.releaseFails = false;
    }

    @Override
    public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
        if (this.claimFails) {
            throw new IdempotencyStoreException("store down (test)");
        }
        return this.delegate.claim(key, fingerprint, lease);
    }

    @Override
    public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
        if (this.completeFails) {
            throw new IdempotencyStoreException("store down (test)");
        }
        this.completedTtls.add(ttl);
        return this.delegate.complete(key, token, response, ttl);
    }

    @Override
    public boolean release(IdempotencyKey key, ClaimToken token) {
        if (this.releaseFails) {
            throw new IdempotencyStoreException("store down (test)");
        }
        return this.delegate.release(key, token);
    }

    @Override
    public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
        if (this.renewFails) {
            throw new IdempotencyStoreException("store down (test)");
        }
        boolean renewed = this.delegate.renew(key, token, lease);
        this.renewals.incrementAndGet();
        this.renewed.countDown();
        return renewed;
    }

    @Override
    public Optional<StoredRecord> find(IdempotencyKey key) {
        return this.delegate.find(key);
    }

    @Override
    public boolean delete(IdempotencyKey key) {
        return this.delegate.delete(key);
    }
}
