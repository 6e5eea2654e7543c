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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} in a {@link ConcurrentHashMap}: for tests and for a <em>single</em> instance
 * only, since other processes cannot see its claims, and everything is lost on restart.
 *
 * <p>It is a bounded cache of at most {@code maxEntries} records (a few more while concurrent claims of new
 * keys race for the last places). When a new key finds it full, it drops expired records first, then evicts
 * the completed records that were completed longest ago. An evicted record is forgotten as if its time to
 * live had passed: a retry with its key runs the operation again. In-progress records are never evicted;
 * only when the store holds nothing else does a new claim fail with {@link IdempotencyStoreException}.
 * Evictions are counted ({@link #getEvictionCount()}) and logged at {@code WARN}, one line per minute at
 * most, with the number evicted since the previous line.
 *
 * <p>Each new key at capacity costs a constant amount of work: the completed records form a list in order of
 * completion, so the oldest is found at its head. A scan of all records for expired ones runs when the store
 * first fills, then after every quarter of its capacity evicted, and when nothing but in-progress records is
 * left.
 */
public class InMemoryIdempotencyStore implements IdempotencyStore {

    private static final Log logger = LogFactory.getLog(InMemoryIdempotencyStore.class);

    /** Longest silence between two log lines about evictions, while evictions go on. */
    private static final long EVICTION_LOG_INTERVAL_MILLIS =
            Duration.ofMinutes(1).toMillis();

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
     * Guards the completion order and the eviction counters. Taken after a map operation, never inside
     * one, so it cannot deadlock with the map's own locks.
     */
    private final Object evictionLock = new Object();

    /** Completed records in the map, oldest completion first; guarded by {@link #evictionLock}. */
    private Completed oldest;

    private Completed newest;

    /** Completed records dropped from the head of the list since the last scan for expired records. */
    private int droppedSinceScan;

    private long lastScanAt = Long.MIN_VALUE;

    private volatile long evictionCount;

    private long loggedEvictionCount;

    private long lastEvictionLogAt;

    /**
     * Creates a store.
     * @param clock source of the current time for leases and time to live
     * @param expiredLeasePolicy what a claim does with an expired lease
     * @param maxEntries how many records the store holds before it evicts completed ones
     */
    public InMemoryIdempotencyStore(Clock clock, ExpiredLeasePolicy expiredLeasePolicy, int maxEntries) {
        Assert.notNull(clock, "'clock' must not be null");
        Assert.notNull(expiredLeasePolicy, "'expiredLeasePolicy' must not be null");
        Assert.isTrue(maxEntries > 0, "'maxEntries' must be positive");
        this.clock = clock;
        this.expiredLeasePolicy = expiredLeasePolicy;
        this.maxEntries = maxEntries;
        // The first scan for expired records runs as soon as the store is full.
        this.droppedSinceScan = scanEvery();
    }

    @Override
    public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
        String address = address(key);
        if (!this.entries.containsKey(address)) {
            // Only a new key adds a record: a full store answers retries of the keys it holds as it is.
            makeRoom(address);
        }
        ClaimOutcome outcome = new ClaimOutcome();
        this.entries.compute(address, (ignored, existing) -> {
            long now = this.clock.millis();
            if (existing == null || isRemovable(existing, now)) {
                ClaimToken token = ClaimToken.random();
                // An in-progress record is removable only once its lease expired: this claim takes it over.
                outcome.result = new ClaimResult.Claimed(token, existing instanceof InProgress);
                outcome.replaced = (existing instanceof Completed completed) ? completed : null;
                // The address is the map's key when the key is new: the completed record shares it.
                return new InProgress(address, fingerprint, token, now, now + lease.toMillis());
            }
            if (!existing.fingerprint().equals(fingerprint)) {
                outcome.result = new ClaimResult.Mismatch();
                return existing;
            }
            if (existing instanceof Completed completed) {
                outcome.result = new ClaimResult.Completed(completed.response());
                return existing;
            }
            InProgress inProgress = (InProgress) existing;
            // Expired leases are removable under TAKE_OVER, so an expired one here stays blocked.
            long leaseRemaining = Math.max(0, inProgress.leaseExpiresAt() - now);
            long held = Math.max(0, now - inProgress.claimedAt());
            outcome.result = new ClaimResult.InProgress(Duration.ofMillis(leaseRemaining), Duration.ofMillis(held));
            return existing;
        });
        if (outcome.replaced != null) {
            synchronized (this.evictionLock) {
                unlink(outcome.replaced);
            }
        }
        return outcome.result;
    }

    @Override
    public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
        AtomicReference<Completed> completed = new AtomicReference<>();
        boolean owned = updateOwned(key, token, (inProgress, now) -> {
            completed.set(Completed.of(inProgress, response, now + ttl.toMillis()));
            return completed.get();
        });
        if (owned) {
            synchronized (this.evictionLock) {
                // Unless it was already replaced (its time to live was shorter than this instant): then no
                // one would unlink it again.
                if (this.entries.get(completed.get().address) == completed.get()) {
                    linkLast(completed.get());
                }
            }
        }
        return owned;
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
                (inProgress, now) -> new InProgress(
                        inProgress.address(),
                        inProgress.fingerprint(),
                        token,
                        inProgress.claimedAt(),
                        now + lease.toMillis()));
    }

    /**
     * {@inheritDoc}
     * <p>A completed record keeps no creation time: its {@link StoredRecord#createdAt()} is {@code null}.
     */
    @Override
    public Optional<StoredRecord> find(IdempotencyKey key) {
        Entry entry = this.entries.get(address(key));
        if (entry instanceof InProgress inProgress) {
            return Optional.of(StoredRecord.inProgress(
                    Instant.ofEpochMilli(inProgress.claimedAt()), Instant.ofEpochMilli(inProgress.leaseExpiresAt())));
        }
        if (entry instanceof Completed completed && this.clock.millis() < completed.expiresAt) {
            return Optional.of(
                    StoredRecord.completed(null, Instant.ofEpochMilli(completed.expiresAt), completed.response()));
        }
        return Optional.empty();
    }

    @Override
    public boolean delete(IdempotencyKey key) {
        Entry removed = this.entries.remove(address(key));
        if (removed instanceof Completed completed) {
            synchronized (this.evictionLock) {
                unlink(completed);
            }
        }
        return removed != null;
    }

    /**
     * Returns how many records the store holds, expired ones included until they are dropped.
     * @return the number of records
     */
    public int size() {
        return this.entries.size();
    }

    /**
     * Returns how many completed records were evicted before their time to live had passed, to make room
     * for new keys, since the store was created. Expired records dropped to make room are not counted.
     * @return the number of evictions
     */
    public long getEvictionCount() {
        return this.evictionCount;
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

    /**
     * Makes room for one more record when the store is full: drops expired records, then evicts the oldest
     * completed ones.
     * @param address the new key's address
     * @throws IdempotencyStoreException if every record left is in progress
     */
    private void makeRoom(String address) {
        if (this.entries.size() < this.maxEntries) {
            return;
        }
        synchronized (this.evictionLock) {
            long now = this.clock.millis();
            if (this.droppedSinceScan >= scanEvery()) {
                dropExpired(now);
            }
            // Concurrent claimers of one new key: only the first needs room, the others find its record.
            while (this.entries.size() >= this.maxEntries && !this.entries.containsKey(address)) {
                Completed candidate = this.oldest;
                if (candidate == null) {
                    // Leases may have expired since the last scan; at most one scan per millisecond.
                    if (now > this.lastScanAt && dropExpired(now) > 0) {
                        continue;
                    }
                    logEvictions(now);
                    throw new IdempotencyStoreException("In-memory idempotency store is full: all of its "
                            + this.entries.size() + " records are in progress (idempotency.memory.max-entries="
                            + this.maxEntries + ")");
                }
                unlink(candidate);
                this.droppedSinceScan++;
                if (this.entries.remove(candidate.address, candidate) && now < candidate.expiresAt) {
                    this.evictionCount++;
                }
            }
            logEvictions(now);
        }
    }

    /**
     * Removes every record that has expired. Called with {@link #evictionLock} held.
     * @return how many were removed
     */
    private int dropExpired(long now) {
        int dropped = 0;
        for (Map.Entry<String, Entry> mapping : this.entries.entrySet()) {
            Entry entry = mapping.getValue();
            if (isRemovable(entry, now) && this.entries.remove(mapping.getKey(), entry)) {
                dropped++;
                if (entry instanceof Completed completed) {
                    unlink(completed);
                }
            }
        }
        this.droppedSinceScan = 0;
        this.lastScanAt = now;
        return dropped;
    }

    private int scanEvery() {
        return Math.max(1, this.maxEntries / 4);
    }

    /**
     * Logs the evictions since the last line, unless a line was logged less than an interval ago. Called with
     * {@link #evictionLock} held.
     */
    private void logEvictions(long now) {
        long total = this.evictionCount;
        long recent = total - this.loggedEvictionCount;
        if (recent == 0
                || (this.loggedEvictionCount > 0 && now - this.lastEvictionLogAt < EVICTION_LOG_INTERVAL_MILLIS)) {
            return;
        }
        logger.warn("In-memory idempotency store is full (idempotency.memory.max-entries=" + this.maxEntries
                + "): evicted " + recent + ((recent == 1) ? " completed record" : " completed records")
                + " before their time to live"
                + ((recent < total) ? " since the last report (" + total + " in all)" : "")
                + "; a retry with an evicted key runs the operation again. Raise the maximum, or use a"
                + " shared store; at most one such line per minute");
        this.loggedEvictionCount = total;
        this.lastEvictionLogAt = now;
    }

    private void linkLast(Completed completed) {
        completed.previous = this.newest;
        if (this.newest == null) {
            this.oldest = completed;
        } else {
            this.newest.next = completed;
        }
        this.newest = completed;
    }

    /** Takes a record out of the completion order; does nothing when it is not in it. */
    private void unlink(Completed completed) {
        if (completed.previous == null && this.oldest != completed) {
            return;
        }
        if (completed.previous == null) {
            this.oldest = completed.next;
        } else {
            completed.previous.next = completed.next;
        }
        if (completed.next == null) {
            this.newest = completed.previous;
        } else {
            completed.next.previous = completed.previous;
        }
        completed.previous = null;
        completed.next = null;
    }

    private boolean isRemovable(Entry entry, long now) {
        if (entry instanceof Completed completed) {
            return now >= completed.expiresAt;
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

    private record InProgress(String address, String fingerprint, ClaimToken token, long claimedAt, long leaseExpiresAt)
            implements Entry {}

    /**
     * A recorded response, its headers kept in their encoded text rather than as a list of objects. The
     * body is the recorded array itself: neither the store nor a replay copies it. Equal only to itself, so
     * that a conditional removal never removes a later record with the same content.
     */
    private static final class Completed implements Entry {

        private final String address;

        private final String fingerprint;

        private final int status;

        private final String headers;

        private final byte[] body;

        private final boolean bodyOmitted;

        private final long expiresAt;

        /** Neighbours in the completion order, guarded by the store's eviction lock. */
        private Completed previous;

        private Completed next;

        private Completed(
                String address,
                String fingerprint,
                int status,
                String headers,
                byte[] body,
                boolean bodyOmitted,
                long expiresAt) {
            this.address = address;
            this.fingerprint = fingerprint;
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.bodyOmitted = bodyOmitted;
            this.expiresAt = expiresAt;
        }

        static Completed of(InProgress inProgress, StoredResponse response, long expiresAt) {
            return new Completed(
                    inProgress.address(),
                    inProgress.fingerprint(),
                    response.status(),
                    response.encodeHeaders(),
                    response.body(),
                    response.bodyOmitted(),
                    expiresAt);
        }

        @Override
        public String fingerprint() {
            return this.fingerprint;
        }

        StoredResponse response() {
            return new StoredResponse(
                    this.status, StoredResponse.decodeHeaders(this.headers), this.body, this.bodyOmitted);
        }
    }

    /** What a claim's map update decided; written inside the update, read after it by the same thread. */
    private static final class ClaimOutcome {

        private ClaimResult result;

        /** The expired completed record the claim replaced, if any. */
        private Completed replaced;
    }

    @FunctionalInterface
    private interface OwnedUpdate {

        Entry apply(InProgress inProgress, long now);
    }
}
