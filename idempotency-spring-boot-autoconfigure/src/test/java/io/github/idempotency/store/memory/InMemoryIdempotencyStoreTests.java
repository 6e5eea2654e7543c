package io.github.idempotency.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimResult.Claimed;
import io.github.idempotency.ClaimResult.Completed;
import io.github.idempotency.ClaimResult.InProgress;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.store.IdempotencyStoreContractTests;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@link IdempotencyStoreContractTests} for {@link InMemoryIdempotencyStore}, plus its bound on size: what it
 * evicts, in which order, what it counts and logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class InMemoryIdempotencyStoreTests extends IdempotencyStoreContractTests {

    private static final Pattern EVICTION_LINE = Pattern.compile("WARN .*In-memory idempotency store is full.*");

    @Override
    protected IdempotencyStore createStore(Clock clock, ExpiredLeasePolicy expiredLeasePolicy) {
        // Records live in the store itself; the contract's BLOCK tests use only the store they create.
        return new InMemoryIdempotencyStore(clock, expiredLeasePolicy, 10_000);
    }

    @Test
    void claimWhenFullOfInProgressRecordsThenRefusesNewKey() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey first = newKey();
        store.claim(first, FINGERPRINT, LEASE);
        store.claim(newKey(), FINGERPRINT, LEASE);

        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> store.claim(newKey(), FINGERPRINT, LEASE))
                .withMessageContaining("full")
                .withMessageContaining("in progress")
                .withMessageContaining("idempotency.memory.max-entries");
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.getEvictionCount()).isZero();
        assertInProgress(store.claim(first, FINGERPRINT, LEASE), LEASE);
    }

    @Test
    void claimWhenFullThenEvictsTheOldestCompletedRecord() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 3);
        IdempotencyKey oldest = completeNew(store, "oldest", TTL);
        IdempotencyKey younger = completeNew(store, "younger", TTL);
        IdempotencyKey inProgress = newKey();
        store.claim(inProgress, FINGERPRINT, LEASE);

        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);

        assertThat(store.getEvictionCount()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.claim(younger, FINGERPRINT, LEASE)).isEqualTo(new Completed(paymentCreated("younger")));
        assertInProgress(store.claim(inProgress, FINGERPRINT, LEASE), LEASE);
        // Forgotten as after its time to live: the retry runs again, and makes room by evicting the next.
        assertThat(store.claim(oldest, FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertThat(store.getEvictionCount()).isEqualTo(2);
    }

    @Test
    void claimWhenFullThenEvictsInCompletionOrderNotClaimOrder() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey claimedFirst = newKey();
        ClaimToken first = token(store.claim(claimedFirst, FINGERPRINT, LEASE));
        IdempotencyKey claimedSecond = completeNew(store, "second", TTL);
        store.complete(claimedFirst, first, paymentCreated("first"), TTL);

        store.claim(newKey(), FINGERPRINT, LEASE);

        assertThat(store.claim(claimedFirst, FINGERPRINT, LEASE)).isEqualTo(new Completed(paymentCreated("first")));
        assertThat(store.getEvictionCount()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.claim(claimedSecond, FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    void claimWhenFullThenNeverEvictsInProgressRecordsAndRefusesOnceOnlyTheyAreLeft() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey inProgress = newKey();
        store.claim(inProgress, FINGERPRINT, LEASE);
        completeNew(store, "completed", TTL);
        IdempotencyKey newest = newKey();

        assertThat(store.claim(newest, FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> store.claim(newKey(), FINGERPRINT, LEASE));

        assertThat(store.getEvictionCount()).isEqualTo(1);
        assertInProgress(store.claim(inProgress, FINGERPRINT, LEASE), LEASE);
        assertInProgress(store.claim(newest, FINGERPRINT, LEASE), LEASE);
    }

    @Test
    void claimWhenFullThenDropsExpiredRecordsBeforeEvictingLiveOnes(CapturedOutput output) {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey live = completeNew(store, "live", TTL);
        // Completed later than the live one, but with a shorter time to live: it expires first.
        completeNew(store, "short", Duration.ofMinutes(1));
        clock().advance(Duration.ofMinutes(2));

        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);

        assertThat(store.claim(live, FINGERPRINT, LEASE)).isEqualTo(new Completed(paymentCreated("live")));
        assertThat(store.getEvictionCount()).isZero();
        assertThat(output.getAll()).doesNotContainPattern(EVICTION_LINE);
    }

    @Test
    void claimWhenFullWithAnExpiredLeaseThenDropsItBeforeEvictingACompletedRecord() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey completed = completeNew(store, "completed", TTL);
        store.claim(newKey(), FINGERPRINT, LEASE);
        clock().advance(LEASE);

        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);

        assertThat(store.claim(completed, FINGERPRINT, LEASE)).isInstanceOf(Completed.class);
        assertThat(store.getEvictionCount()).isZero();
    }

    @Test
    void evictionsAreLoggedAtOnceThenAtMostOncePerMinuteWithTheirCount(CapturedOutput output) {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 1);
        completeNew(store, "a", TTL);
        completeNew(store, "b", TTL);
        assertThat(evictionLines(output))
                .singleElement()
                .asString()
                .contains("evicted 1 completed record before their time to live;")
                .contains("idempotency.memory.max-entries=1")
                .contains("runs the operation again");

        completeNew(store, "c", TTL);
        completeNew(store, "d", TTL);
        clock().advance(Duration.ofSeconds(59));
        completeNew(store, "e", TTL);
        assertThat(evictionLines(output)).hasSize(1);

        clock().advance(Duration.ofSeconds(1));
        completeNew(store, "f", TTL);
        assertThat(store.getEvictionCount()).isEqualTo(5);
        assertThat(evictionLines(output))
                .hasSize(2)
                .last()
                .asString()
                .contains("evicted 4 completed records before their time to live since the last report (5 in all)");
    }

    @Test
    void claimWhenManyThreadsClaimOneNewKeyInAFullStoreThenExactlyOneClaimsAndOneRecordIsEvicted() throws Exception {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 4);
        for (int i = 0; i < 4; i++) {
            completeNew(store, "filler-" + i, TTL);
        }
        IdempotencyKey key = newKey();

        List<ClaimResult> results = runTogether((thread) -> store.claim(key, FINGERPRINT, LEASE));

        assertThat(results).filteredOn(Claimed.class::isInstance).hasSize(1);
        assertThat(results).filteredOn(InProgress.class::isInstance).hasSize(results.size() - 1);
        assertThat(store.getEvictionCount()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(4);
    }

    @Test
    void claimWhenManyThreadsClaimAndCompleteNewKeysInAFullStoreThenAllClaimAndTheBoundHolds() throws Exception {
        int capacity = 64;
        int perThread = 200;
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, capacity);

        List<Integer> claimed = runTogether((thread) -> {
            int count = 0;
            for (int i = 0; i < perThread; i++) {
                IdempotencyKey key = newKey();
                ClaimResult result = store.claim(key, FINGERPRINT, LEASE);
                if (result instanceof Claimed claim) {
                    store.complete(key, claim.token(), paymentCreated(key.key()), TTL);
                    count++;
                }
            }
            return count;
        });

        int threads = claimed.size();
        assertThat(claimed).allMatch((count) -> count == perThread);
        // Concurrent claims of new keys may each pass the bound once before they insert.
        assertThat(store.size()).isBetween(capacity - threads, capacity + threads);
        assertThat(store.getEvictionCount()).isEqualTo((long) threads * perThread - store.size());
    }

    @Test
    void claimWhenFullThenStillAnswersKeysItHolds() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey completed = newKey();
        store.complete(completed, token(store.claim(completed, FINGERPRINT, LEASE)), paymentCreated("b"), TTL);
        IdempotencyKey inProgress = newKey();
        store.claim(inProgress, FINGERPRINT, LEASE);

        assertThat(store.claim(completed, FINGERPRINT, LEASE)).isInstanceOf(Completed.class);
        assertInProgress(store.claim(inProgress, FINGERPRINT, LEASE), LEASE);
    }

    @Test
    void claimWhenFullWithExpiredRecordsThenDropsThemAndClaims() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey completed = newKey();
        store.complete(completed, token(store.claim(completed, FINGERPRINT, LEASE)), paymentCreated("a"), TTL);
        clock().advance(Duration.ofSeconds(10));
        IdempotencyKey live = newKey();
        store.claim(live, FINGERPRINT, LEASE);
        clock().advance(TTL);

        // The completed record's time to live and the claim's lease have both passed.
        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void claimWhenFullOfExpiredLeasesUnderBlockThenKeepsThemAndRefuses() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.BLOCK, 1);
        IdempotencyKey abandoned = newKey();
        store.claim(abandoned, FINGERPRINT, LEASE);
        clock().advance(TTL);

        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> store.claim(newKey(), FINGERPRINT, LEASE));
        assertInProgress(store.claim(abandoned, FINGERPRINT, LEASE), Duration.ZERO);
    }

    private IdempotencyKey completeNew(InMemoryIdempotencyStore store, String id, Duration ttl) {
        IdempotencyKey key = newKey();
        assertThat(store.complete(key, token(store.claim(key, FINGERPRINT, LEASE)), paymentCreated(id), ttl))
                .isTrue();
        return key;
    }

    private static List<String> evictionLines(CapturedOutput output) {
        return output.getAll().lines().filter(EVICTION_LINE.asPredicate()).toList();
    }
}
