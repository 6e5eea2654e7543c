package io.github.idempotency.store.memory;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} in a {@link ConcurrentHashMap}: for tests and for a <em>single</em> instance
 * only, since other processes cannot see its claims, and everything is lost on restart.
 *
 * <p>It holds at most {@code maxEntries} records. When full, it first drops records that have expired;
 * if none have, a new claim fails with {@link IdempotencyStoreException} rather than evicting a live record,
 * because evicting one would let its retry run the operation a second time.
 */
public class InMemoryIdempotencyStore implements IdempotencyStore {

    private final ConcurrentMap<IdempotencyKey, Entry> entries = new ConcurrentHashMap<>();

    private final Clock clock;

    private final ExpiredLeasePolicy expiredLeasePolicy;

    private final int maxEntries;

    /**
     * Creates a store.
     * @param clock source of the current time for leases and time to live
     * @param expiredLeasePolicy what a claim does with an expired lease
     * @param maxEntries how many records the store holds at most
     */
    public InMemoryIdempotencyStore(Clock clock, ExpiredLeasePolicy expiredLeasePolicy, int maxEntries) {
        Assert.notNull(clock, "'clock' must not be null");
        Assert.notNull(expiredLeasePolicy, "'expiredLeasePolicy' must not be null");
        Assert.isTrue(maxEntries > 0, "'maxEntries' must be positive");
        this.clock = clock;
        this.expiredLeasePolicy = expiredLeasePolicy;
        this.maxEntries = maxEntries;
    }

    @Override
    public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
        if (!this.entries.containsKey(key)) {
            // Only a new key adds a record: a full store still answers retries of the keys it holds.
            ensureCapacity();
        }
        AtomicReference<ClaimResult> result = new AtomicReference<>();
        this.entries.compute(key, (address, existing) -> {
            Instant now = this.clock.instant();
            if (existing == null || isRemovable(existing, now)) {
                ClaimToken token = ClaimToken.random();
                // An in-progress record is removable only once its lease expired: this claim takes it over.
                result.set(new ClaimResult.Claimed(token, existing instanceof InProgress));
                return new InProgress(fingerprint, token, now.plus(lease));
            }
            if (!existing.fingerprint().equals(fingerprint)) {
                result.set(new ClaimResult.Mismatch());
                return existing;
            }
            if (existing instanceof Completed completed) {
                result.set(new ClaimResult.Completed(completed.response()));
                return existing;
            }
            InProgress inProgress = (InProgress) existing;
            if (now.isBefore(inProgress.leaseExpiresAt())) {
                result.set(new ClaimResult.InProgress(Duration.between(now, inProgress.leaseExpiresAt())));
                return existing;
            }
            // Expired leases are removable under TAKE_OVER, so this one stays blocked.
            result.set(new ClaimResult.InProgress(Duration.ZERO));
            return existing;
        });
        return result.get();
    }

    @Override
    public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
        return updateOwned(
                key, token, (inProgress, now) -> new Completed(inProgress.fingerprint(), response, now.plus(ttl)));
    }

    @Override
    public boolean release(IdempotencyKey key, ClaimToken token) {
        return updateOwned(key, token, (inProgress, now) -> null);
    }

    @Override
    public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
        return updateOwned(
                key, token, (inProgress, now) -> new InProgress(inProgress.fingerprint(), token, now.plus(lease)));
    }

    /**
     * Returns how many records the store holds, expired ones included until they are dropped.
     * @return the number of records
     */
    public int size() {
        return this.entries.size();
    }

    private boolean updateOwned(IdempotencyKey key, ClaimToken token, OwnedUpdate update) {
        AtomicBoolean owned = new AtomicBoolean();
        this.entries.computeIfPresent(key, (address, existing) -> {
            if (existing instanceof InProgress inProgress && inProgress.token().equals(token)) {
                owned.set(true);
                return update.apply(inProgress, this.clock.instant());
            }
            return existing;
        });
        return owned.get();
    }

    private void ensureCapacity() {
        if (this.entries.size() < this.maxEntries) {
            return;
        }
        Instant now = this.clock.instant();
        this.entries.values().removeIf((entry) -> isRemovable(entry, now));
        if (this.entries.size() >= this.maxEntries) {
            throw new IdempotencyStoreException("In-memory idempotency store is full: it holds " + this.maxEntries
                    + " unexpired records (idempotency.memory.max-entries)");
        }
    }

    private boolean isRemovable(Entry entry, Instant now) {
        if (entry instanceof Completed completed) {
            return !now.isBefore(completed.expiresAt());
        }
        // Under BLOCK an abandoned claim must stay until an operator releases it.
        return this.expiredLeasePolicy == ExpiredLeasePolicy.TAKE_OVER
                && !now.isBefore(((InProgress) entry).leaseExpiresAt());
    }

    private sealed interface Entry permits InProgress, Completed {

        String fingerprint();
    }

    private record InProgress(String fingerprint, ClaimToken token, Instant leaseExpiresAt) implements Entry {}

    private record Completed(String fingerprint, StoredResponse response, Instant expiresAt) implements Entry {}

    @FunctionalInterface
    private interface OwnedUpdate {

        Entry apply(InProgress inProgress, Instant now);
    }
}
