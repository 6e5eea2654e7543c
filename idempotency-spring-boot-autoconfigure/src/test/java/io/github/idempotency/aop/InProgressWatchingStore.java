package io.github.idempotency.aop;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import java.time.Duration;

/**
 * Passes every call to a real store and tells a test when a claim found its key in progress, so that the
 * test can hold a running call until others have seen it, instead of guessing with a sleep.
 */
final class InProgressWatchingStore implements IdempotencyStore {

    private final IdempotencyStore store;

    private volatile Runnable onInProgress = () -> {};

    InProgressWatchingStore(IdempotencyStore store) {
        this.store = store;
    }

    void onInProgress(Runnable listener) {
        this.onInProgress = listener;
    }

    @Override
    public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
        ClaimResult result = this.store.claim(key, fingerprint, lease);
        if (result instanceof ClaimResult.InProgress) {
            this.onInProgress.run();
        }
        return result;
    }

    @Override
    public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
        return this.store.complete(key, token, response, ttl);
    }

    @Override
    public boolean release(IdempotencyKey key, ClaimToken token) {
        return this.store.release(key, token);
    }

    @Override
    public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
        return this.store.renew(key, token, lease);
    }
}
