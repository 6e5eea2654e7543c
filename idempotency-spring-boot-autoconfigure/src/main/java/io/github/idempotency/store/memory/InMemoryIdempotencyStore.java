package io.github.idempotency.store.memory;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredRecord;
import io.github.idempotency.StoredResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

    /**
     * Records by {@link #address(IdempotencyKey) address}. A record that stays for the time to live is a few
     * objects (the address, one completed entry with the encoded headers, the body array): the store may
     * hold many of them, and the garbage collector copies and marks each one.
     */
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

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
        String address = address(key);
        if (!this.entries.containsKey(address)) {
            // Only a new key adds a record: a full store still answers retries of the keys it holds.
            ensureCapacity();
        }
        AtomicReference<ClaimResult> result = new AtomicReference<>();
        this.entries.compute(address, (ignored, existing) -> {
            long now = this.clock.millis();
            if (existing == null || isRemovable(existing, now)) {
                ClaimToken token = ClaimToken.random();
                // An in-progress record is removable only once its lease expired: this claim takes it over.
                result.set(new ClaimResult.Claimed(token, existing instanceof InProgress));
                return new InProgress(fingerprint, token, now + lease.toMillis());
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
            if (now < inProgress.leaseExpiresAt()) {
                result.set(new ClaimResult.InProgress(Duration.ofMillis(inProgress.leaseExpiresAt() - now)));
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
                key,
                token,
                (inProgress, now) -> Completed.of(inProgress.fingerprint(), response, now + ttl.toMillis()));
    }

    @Override
    public boolean release(IdempotencyKey key, ClaimToken token) {
        return updateOwned(key, token, (inProgress, now) -> null);
    }

    @Override
    public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
        return updateOwned(
                key,
                token,
                (inProgress, now) -> new InProgress(inProgress.fingerprint(), token, now + lease.toMillis()));
    }

    /**
     * {@inheritDoc}
     * <p>The store keeps no creation time: {@link StoredRecord#createdAt()} is {@code null}.
     */
    @Override
    public Optional<StoredRecord> find(IdempotencyKey key) {
        Entry entry = this.entries.get(address(key));
        if (entry instanceof InProgress inProgress) {
            return Optional.of(StoredRecord.inProgress(null, Instant.ofEpochMilli(inProgress.leaseExpiresAt())));
        }
        if (entry instanceof Completed completed && this.clock.millis() < completed.expiresAt()) {
            return Optional.of(
                    StoredRecord.completed(null, Instant.ofEpochMilli(completed.expiresAt()), completed.response()));
        }
        return Optional.empty();
    }

    @Override
    public boolean delete(IdempotencyKey key) {
        return this.entries.remove(address(key)) != null;
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
        this.entries.computeIfPresent(address(key), (ignored, existing) -> {
            if (existing instanceof InProgress inProgress && inProgress.token().equals(token)) {
                owned.set(true);
                return update.apply(inProgress, this.clock.millis());
            }
            return existing;
        });
        return owned.get();
    }

    private void ensureCapacity() {
        if (this.entries.size() < this.maxEntries) {
            return;
        }
        long now = this.clock.millis();
        this.entries.values().removeIf((entry) -> isRemovable(entry, now));
        if (this.entries.size() >= this.maxEntries) {
            throw new IdempotencyStoreException("In-memory idempotency store is full: it holds " + this.maxEntries
                    + " unexpired records (idempotency.memory.max-entries)");
        }
    }

    private boolean isRemovable(Entry entry, long now) {
        if (entry instanceof Completed completed) {
            return now >= completed.expiresAt();
        }
        // Under BLOCK an abandoned claim must stay until an operator releases it.
        return this.expiredLeasePolicy == ExpiredLeasePolicy.TAKE_OVER && now >= ((InProgress) entry).leaseExpiresAt();
    }

    /**
     * Returns the one string that addresses a key in its scope. The scope's length comes first, so that no
     * two (scope, key) pairs share an address, whatever characters they hold.
     */
    private static String address(IdempotencyKey key) {
        return key.scope().length() + ":" + key.scope() + key.key();
    }

    private sealed interface Entry permits InProgress, Completed {

        String fingerprint();
    }

    private record InProgress(String fingerprint, ClaimToken token, long leaseExpiresAt) implements Entry {}

    /**
     * A recorded response, its headers kept in their encoded text rather than as a list of objects. The
     * body is the recorded array itself: neither the store nor a replay copies it.
     */
    private record Completed(
            String fingerprint, int status, String headers, byte[] body, boolean bodyOmitted, long expiresAt)
            implements Entry {

        static Completed of(String fingerprint, StoredResponse response, long expiresAt) {
            return new Completed(
                    fingerprint,
                    response.status(),
                    response.encodeHeaders(),
                    response.body(),
                    response.bodyOmitted(),
                    expiresAt);
        }

        StoredResponse response() {
            return new StoredResponse(
                    this.status, StoredResponse.decodeHeaders(this.headers), this.body, this.bodyOmitted);
        }
    }

    @FunctionalInterface
    private interface OwnedUpdate {

        Entry apply(InProgress inProgress, long now);
    }
}
