package io.github.idempotency.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimResult.Claimed;
import io.github.idempotency.ClaimResult.Completed;
import io.github.idempotency.ClaimResult.InProgress;
import io.github.idempotency.ClaimResult.Mismatch;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredRecord;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.StoredResponse.Header;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IdempotencyStore} must have, run against each store by a subclass.
 *
 * <p>Time is driven through {@link #expire(IdempotencyKey, Duration)}: stores that take the time from the
 * {@link Clock} passed to {@link #createStore} keep the default, which moves a {@link MutableClock}; a store
 * whose records expire by its server's time overrides it to shorten the record's remaining lease and time to
 * live instead, {@link #leaseTolerance()} to allow for the time its round trips take, and
 * {@link #reportsTakeovers()} if an expired lease vanishes before a claim can see it.
 *
 * <p>Every test uses keys of its own, so a subclass may keep one table or keyspace for all of them. Stores
 * are created lazily, after the subclass's own set-up methods have run.
 */
public abstract class IdempotencyStoreContractTests {

    /** Lease of every claim the tests make. */
    protected static final Duration LEASE = Duration.ofSeconds(30);

    /** Time to live of every completed record the tests make. */
    protected static final Duration TTL = Duration.ofHours(1);

    /** Fingerprint of the request that claims first. */
    protected static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** Fingerprint of a different request presented with the same key. */
    protected static final String OTHER_FINGERPRINT =
            "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    private static final int THREAD_TIMEOUT_SECONDS = 60;

    /** Where the clock passed to {@link #createStore} starts, in every test. */
    protected static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    private IdempotencyStore store;

    /**
     * Creates the store under test. Called at most twice per test: once for
     * {@link ExpiredLeasePolicy#TAKE_OVER}, and once more by the tests of {@link ExpiredLeasePolicy#BLOCK}.
     * @param clock the clock the store must take the time from, if it takes it from a clock
     * @param expiredLeasePolicy what the store does with an expired lease
     * @return a store sharing its records with the other stores this test creates
     */
    protected abstract IdempotencyStore createStore(Clock clock, ExpiredLeasePolicy expiredLeasePolicy);

    /**
     * Lets {@code by} pass for the record at {@code key}: its lease and its time to live both come that much
     * closer to their end. The default moves the clock passed to {@link #createStore}.
     * @param key the record's address
     * @param by how much time passes
     */
    protected void expire(IdempotencyKey key, Duration by) {
        this.clock.advance(by);
    }

    /**
     * How much less than expected a reported remaining lease may be: zero for clock-driven stores, the
     * duration of a few round trips for stores that count time on their server.
     * @return the tolerance
     */
    protected Duration leaseTolerance() {
        return Duration.ZERO;
    }

    /**
     * Returns the time the store's records are measured against: the clock passed to {@link #createStore} by
     * default; a store whose records expire by its server's time overrides it with the system time.
     * @return the current time
     */
    protected Instant now() {
        return this.clock.instant();
    }

    /**
     * Whether the store tells a claim that took over an expired lease apart from a claim of an absent key
     * ({@link Claimed#takenOver()}). A store whose expired leases vanish by its server's expiry cannot tell,
     * and always reports {@code false}.
     * @return whether takeovers are reported
     */
    protected boolean reportsTakeovers() {
        return true;
    }

    /**
     * How many threads the concurrency tests start.
     * @return at least 16
     */
    protected int concurrentClaimers() {
        return 16;
    }

    /**
     * Returns the clock the stores were created with.
     * @return the test's clock
     */
    protected final MutableClock clock() {
        return this.clock;
    }

    /**
     * Returns the {@link ExpiredLeasePolicy#TAKE_OVER} store under test, creating it on first use.
     * Synchronized because the first use may be on many threads at once: two threads each creating an
     * in-memory store would each claim the key in their own.
     * @return the store
     */
    protected final synchronized IdempotencyStore store() {
        if (this.store == null) {
            this.store = createStore(this.clock, ExpiredLeasePolicy.TAKE_OVER);
        }
        return this.store;
    }

    /**
     * Returns a key no other test uses.
     * @return a fresh key
     */
    protected static IdempotencyKey newKey() {
        return new IdempotencyKey("alice POST /payments", "key-" + UUID.randomUUID());
    }

    @Test
    void claimWhenKeyIsNewThenClaims() {
        ClaimResult first = store().claim(newKey(), FINGERPRINT, LEASE);
        ClaimResult second = store().claim(newKey(), FINGERPRINT, LEASE);

        assertThat(first)
                .isInstanceOfSatisfying(
                        Claimed.class,
                        (claimed) -> assertThat(claimed.takenOver()).isFalse());
        assertThat(second).isInstanceOf(Claimed.class);
        assertThat(token(second)).isNotEqualTo(token(first));
    }

    @Test
    void claimWhenKeyIsInProgressThenReturnsInProgressWithRemainingLease() {
        IdempotencyKey key = newKey();
        store().claim(key, FINGERPRINT, LEASE);
        expire(key, Duration.ofSeconds(10));

        assertInProgress(store().claim(key, FINGERPRINT, LEASE), Duration.ofSeconds(20));
    }

    @Test
    void claimWhenKeyIsInProgressThenReturnsHowLongTheClaimHasBeenHeld() {
        IdempotencyKey key = newKey();
        claim(key);
        expire(key, Duration.ofSeconds(10));

        assertHeld(store().claim(key, FINGERPRINT, LEASE), Duration.ofSeconds(10));
    }

    @Test
    void claimWhenLeaseWasRenewedThenHeldCountsFromTheClaim() {
        IdempotencyKey key = newKey();
        ClaimToken token = claim(key);
        expire(key, Duration.ofSeconds(20));
        assertThat(store().renew(key, token, LEASE)).isTrue();
        expire(key, Duration.ofSeconds(20));

        assertHeld(store().claim(key, FINGERPRINT, LEASE), Duration.ofSeconds(40));
    }

    @Test
    void claimWhenLeaseWasTakenOverThenHeldCountsFromTheTakeover() {
        IdempotencyKey key = newKey();
        claimAndTakeOver(key);
        expire(key, Duration.ofSeconds(5));

        assertHeld(store().claim(key, FINGERPRINT, LEASE), Duration.ofSeconds(5));
    }

    @Test
    void claimWhenKeyIsCompletedThenReturnsRecordedResponse() {
        IdempotencyKey key = newKey();
        StoredResponse response = paymentCreated("pay_1");
        complete(key, claim(key), response);

        ClaimResult replay = store().claim(key, FINGERPRINT, LEASE);

        assertThat(replay).isInstanceOfSatisfying(Completed.class, (completed) -> {
            assertThat(completed.response()).isEqualTo(response);
            assertThat(completed.response().headers()).containsExactlyElementsOf(response.headers());
            assertThat(completed.response().body()).isEqualTo(response.body());
        });
    }

    @Test
    void claimWhenCompletedWithoutBodyThenReturnsResponseMarkedOmitted() {
        StoredResponse response = StoredResponse.withoutBody(
                201, List.of(new Header("Location", "/payments/pay_2"), new Header("Content-Type", "text/csv")));

        assertThat(recordAndReplay(response).bodyOmitted()).isTrue();
    }

    @Test
    void claimWhenCompletedWithNoHeadersAndEmptyBodyThenReturnsThem() {
        StoredResponse replayed = recordAndReplay(new StoredResponse(204, List.of(), new byte[0], false));

        assertThat(replayed.headers()).isEmpty();
        assertThat(replayed.body()).isEmpty();
    }

    @Test
    void claimWhenCompletedWithOneMebibyteBodyThenReturnsItIntact() {
        byte[] body = new byte[1024 * 1024];
        new Random(42).nextBytes(body);

        StoredResponse replayed = recordAndReplay(
                new StoredResponse(200, List.of(new Header("Content-Type", "application/octet-stream")), body, false));

        assertThat(replayed.body()).isEqualTo(body);
    }

    @Test
    void claimWhenInProgressWithOtherFingerprintThenReturnsMismatch() {
        IdempotencyKey key = newKey();
        claim(key);

        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Mismatch.class);
    }

    @Test
    void claimWhenCompletedWithOtherFingerprintThenReturnsMismatch() {
        IdempotencyKey key = newKey();
        complete(key, claim(key), paymentCreated("pay_3"));

        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Mismatch.class);
    }

    @Test
    void claimWhenReleasedThenClaimsAgainWithNewToken() {
        IdempotencyKey key = newKey();
        ClaimToken first = claim(key);

        assertThat(store().release(key, first)).isTrue();
        ClaimResult again = store().claim(key, FINGERPRINT, LEASE);

        assertThat(again).isInstanceOfSatisfying(Claimed.class, (claimed) -> {
            assertThat(claimed.token()).isNotEqualTo(first);
            assertThat(claimed.takenOver()).isFalse();
        });
    }

    @Test
    void claimWhenReleasedThenAcceptsOtherFingerprint() {
        IdempotencyKey key = newKey();
        store().release(key, claim(key));

        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    void renewWhenOwnedThenExtendsLease() {
        IdempotencyKey key = newKey();
        ClaimToken token = claim(key);
        expire(key, Duration.ofSeconds(20));

        assertThat(store().renew(key, token, LEASE)).isTrue();
        // Past the original lease, but within the renewed one.
        expire(key, Duration.ofSeconds(20));

        assertInProgress(store().claim(key, FINGERPRINT, LEASE), Duration.ofSeconds(10));
    }

    @Test
    void claimWhenLeaseExpiredThenTakesOverWithNewToken() {
        IdempotencyKey key = newKey();
        ClaimToken first = claim(key);
        expire(key, LEASE);

        ClaimResult takeover = store().claim(key, FINGERPRINT, LEASE);

        assertThat(takeover).isInstanceOfSatisfying(Claimed.class, (claimed) -> {
            assertThat(claimed.takenOver()).isEqualTo(reportsTakeovers());
            assertThat(claimed.token()).isNotEqualTo(first);
        });
        assertInProgress(store().claim(key, FINGERPRINT, LEASE), LEASE);
    }

    @Test
    void claimWhenLeaseExpiredWithOtherFingerprintThenTakesOver() {
        IdempotencyKey key = newKey();
        claim(key);
        expire(key, LEASE);

        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE))
                .isInstanceOfSatisfying(
                        Claimed.class,
                        (claimed) -> assertThat(claimed.takenOver()).isEqualTo(reportsTakeovers()));
        assertThat(store().claim(key, FINGERPRINT, LEASE)).isInstanceOf(Mismatch.class);
    }

    @Test
    void completeWhenTokenWasTakenOverThenRefusesAndKeepsNewOwnersRecord() {
        IdempotencyKey key = newKey();
        Takeover takeover = claimAndTakeOver(key);

        assertThat(store().complete(key, takeover.stale(), paymentCreated("stale"), TTL))
                .isFalse();

        assertInProgress(store().claim(key, FINGERPRINT, LEASE), LEASE);
        StoredResponse ownersResponse = paymentCreated("owner");
        assertThat(store().complete(key, takeover.owner(), ownersResponse, TTL)).isTrue();
        assertThat(store().claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(ownersResponse));
    }

    @Test
    void releaseWhenTokenWasTakenOverThenRefusesAndKeepsNewOwnersRecord() {
        IdempotencyKey key = newKey();
        Takeover takeover = claimAndTakeOver(key);

        assertThat(store().release(key, takeover.stale())).isFalse();

        assertInProgress(store().claim(key, FINGERPRINT, LEASE), LEASE);
        assertThat(store().release(key, takeover.owner())).isTrue();
    }

    @Test
    void renewWhenTokenWasTakenOverThenRefusesAndKeepsNewOwnersLease() {
        IdempotencyKey key = newKey();
        Takeover takeover = claimAndTakeOver(key);
        expire(key, Duration.ofSeconds(10));

        assertThat(store().renew(key, takeover.stale(), Duration.ofMinutes(10))).isFalse();

        assertInProgress(store().claim(key, FINGERPRINT, LEASE), Duration.ofSeconds(20));
        assertThat(store().renew(key, takeover.owner(), LEASE)).isTrue();
    }

    @Test
    void writesWhenTokenIsUnknownThenRefuseAndKeepRecord() {
        IdempotencyKey key = newKey();
        claim(key);
        ClaimToken unknown = ClaimToken.random();

        assertThat(store().complete(key, unknown, paymentCreated("unknown"), TTL))
                .isFalse();
        assertThat(store().renew(key, unknown, LEASE)).isFalse();
        assertThat(store().release(key, unknown)).isFalse();

        assertInProgress(store().claim(key, FINGERPRINT, LEASE), LEASE);
    }

    @Test
    void writesWhenKeyIsAbsentThenRefuseAndCreateNothing() {
        IdempotencyKey key = newKey();
        ClaimToken token = ClaimToken.random();

        assertThat(store().complete(key, token, paymentCreated("absent"), TTL)).isFalse();
        assertThat(store().renew(key, token, LEASE)).isFalse();
        assertThat(store().release(key, token)).isFalse();

        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    void writesWhenCompletedThenRefuseAndKeepFirstResponse() {
        IdempotencyKey key = newKey();
        ClaimToken token = claim(key);
        StoredResponse first = paymentCreated("first");
        complete(key, token, first);

        assertThat(store().complete(key, token, paymentCreated("second"), TTL)).isFalse();
        assertThat(store().release(key, token)).isFalse();
        assertThat(store().renew(key, token, LEASE)).isFalse();

        assertThat(store().claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(first));
    }

    @Test
    void claimWhenTimeToLivePassesThenReplaysUntilThenClaimsAfter() {
        IdempotencyKey key = newKey();
        StoredResponse response = paymentCreated("pay_4");
        complete(key, claim(key), response);

        // Ten seconds short of it, so that a store counting time on its server has not reached it either.
        expire(key, TTL.minusSeconds(10));
        assertThat(store().claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));

        expire(key, Duration.ofSeconds(10));
        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE))
                .isInstanceOfSatisfying(
                        Claimed.class,
                        (claimed) -> assertThat(claimed.takenOver()).isFalse());
    }

    @Test
    void claimWhenLeaseExpiredUnderBlockThenStaysInProgress() {
        IdempotencyStore blocking = createStore(this.clock, ExpiredLeasePolicy.BLOCK);
        IdempotencyKey key = newKey();
        ClaimToken token = token(blocking.claim(key, FINGERPRINT, LEASE));

        expire(key, LEASE);
        assertInProgress(blocking.claim(key, FINGERPRINT, LEASE), Duration.ZERO);
        expire(key, TTL.multipliedBy(2));
        assertInProgress(blocking.claim(key, FINGERPRINT, LEASE), Duration.ZERO);

        // The abandoned claim is still the original request's: it alone can complete or release it.
        StoredResponse response = paymentCreated("late");
        assertThat(blocking.complete(key, token, response, TTL)).isTrue();
        assertThat(blocking.claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
    }

    @Test
    void claimWhenLeaseExpiredUnderBlockWithOtherFingerprintThenReturnsMismatch() {
        IdempotencyStore blocking = createStore(this.clock, ExpiredLeasePolicy.BLOCK);
        IdempotencyKey key = newKey();
        blocking.claim(key, FINGERPRINT, LEASE);
        expire(key, LEASE);

        assertThat(blocking.claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Mismatch.class);
    }

    @Test
    void claimWhenTimeToLivePassedUnderBlockThenClaims() {
        IdempotencyStore blocking = createStore(this.clock, ExpiredLeasePolicy.BLOCK);
        IdempotencyKey key = newKey();
        ClaimToken token = token(blocking.claim(key, FINGERPRINT, LEASE));
        assertThat(blocking.complete(key, token, paymentCreated("pay_5"), TTL)).isTrue();
        expire(key, TTL);

        assertThat(blocking.claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    void claimWhenSameKeyInTwoScopesThenClaimsBoth() {
        IdempotencyKey alices = new IdempotencyKey("alice POST /payments", "shared-" + UUID.randomUUID());
        IdempotencyKey bobs = new IdempotencyKey("bob POST /payments", alices.key());
        StoredResponse response = paymentCreated("alice");
        complete(alices, claim(alices), response);

        assertThat(store().claim(bobs, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertThat(store().claim(alices, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
    }

    @Test
    void claimWhenScopeAndKeyJoinToTheSameTextThenClaimsBoth() {
        String suffix = UUID.randomUUID().toString();
        // "alice POST /a" + "b-..." and "alice POST /ab" + "-...": a store may not address them by the joined text.
        IdempotencyKey shortScope = new IdempotencyKey("alice POST /a", "b-" + suffix);
        IdempotencyKey longScope = new IdempotencyKey("alice POST /ab", "-" + suffix);
        complete(shortScope, claim(shortScope), paymentCreated("short"));

        assertThat(store().claim(longScope, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    void claimWhenScopeIsEmptyThenClaimsApartFromOtherScopes() {
        IdempotencyKey global = new IdempotencyKey("", "global-" + UUID.randomUUID());
        IdempotencyKey scoped = new IdempotencyKey("alice POST /payments", global.key());

        assertThat(store().claim(global, FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertThat(store().claim(scoped, FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertInProgress(store().claim(global, FINGERPRINT, LEASE), LEASE);
    }

    @Test
    void claimWhenKeysDifferOnlyInCaseThenClaimsBoth() {
        String suffix = UUID.randomUUID().toString();
        IdempotencyKey lower = new IdempotencyKey("alice POST /payments", "key-" + suffix);
        IdempotencyKey upper = new IdempotencyKey("alice POST /payments", "KEY-" + suffix.toUpperCase());

        assertThat(store().claim(lower, FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertThat(store().claim(upper, FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    void claimWhenKeyAndScopeAreLongAndNotAsciiThenReplays() {
        String key = "ключ-" + UUID.randomUUID() + "-" + "x".repeat(255 - 43) + "€";
        String scope = "zoë " + "POST /payments/" + "p".repeat(2000);
        IdempotencyKey address = new IdempotencyKey(scope, key);
        StoredResponse response = paymentCreated("long");
        complete(address, claim(address), response);

        assertThat(store().claim(address, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
        assertThat(store().claim(new IdempotencyKey(scope, key.substring(0, key.length() - 1)), FINGERPRINT, LEASE))
                .isInstanceOf(Claimed.class);
    }

    @Test
    void claimWhenManyThreadsClaimOneKeyThenExactlyOneClaims() throws Exception {
        IdempotencyKey key = newKey();

        List<ClaimResult> results = runTogether((thread) -> store().claim(key, FINGERPRINT, LEASE));

        assertThat(results).filteredOn(Claimed.class::isInstance).hasSize(1);
        assertThat(results).filteredOn(InProgress.class::isInstance).hasSize(results.size() - 1);
    }

    @Test
    void claimWhenManyThreadsClaimDistinctKeysThenAllClaim() throws Exception {
        List<IdempotencyKey> keys = new ArrayList<>();
        for (int i = 0; i < concurrentClaimers(); i++) {
            keys.add(newKey());
        }

        List<ClaimResult> results = runTogether((thread) -> store().claim(keys.get(thread), FINGERPRINT, LEASE));

        assertThat(results).allMatch(Claimed.class::isInstance);
        assertThat(results).extracting(IdempotencyStoreContractTests::token).doesNotHaveDuplicates();
    }

    @Test
    void claimWhenManyThreadsTakeOverOneExpiredLeaseThenExactlyOneClaims() throws Exception {
        IdempotencyKey key = newKey();
        ClaimToken abandoned = claim(key);
        expire(key, LEASE);

        List<ClaimResult> results = runTogether((thread) -> store().claim(key, FINGERPRINT, LEASE));

        assertThat(results)
                .filteredOn(Claimed.class::isInstance)
                .singleElement()
                .satisfies(
                        (claimed) -> assertThat(((Claimed) claimed).takenOver()).isEqualTo(reportsTakeovers()));
        assertThat(results).filteredOn(InProgress.class::isInstance).hasSize(results.size() - 1);
        assertThat(store().complete(key, abandoned, paymentCreated("abandoned"), TTL))
                .isFalse();
    }

    @Test
    void claimWhenManyThreadsClaimAnExpiredResponseThenExactlyOneClaims() throws Exception {
        IdempotencyKey key = newKey();
        complete(key, claim(key), paymentCreated("old"));
        expire(key, TTL);

        List<ClaimResult> results = runTogether((thread) -> store().claim(key, OTHER_FINGERPRINT, LEASE));

        assertThat(results).filteredOn(Claimed.class::isInstance).hasSize(1);
        assertThat(results).filteredOn(InProgress.class::isInstance).hasSize(results.size() - 1);
    }

    @Test
    void findWhenKeyIsAbsentThenReturnsEmpty() {
        assertThat(store().find(newKey())).isEmpty();
    }

    @Test
    void findWhenInProgressThenReturnsLeaseEndAndLeavesClaimAlone() {
        IdempotencyKey key = newKey();
        Instant claimedAt = now();
        ClaimToken token = claim(key);

        Optional<StoredRecord> found = store().find(key);

        assertThat(found).hasValueSatisfying((record) -> {
            assertThat(record.state()).isEqualTo(StoredRecord.State.IN_PROGRESS);
            assertNear(record.leaseExpiresAt(), now().plus(LEASE));
            // Stores that keep the creation time report the claim's.
            if (record.createdAt() != null) {
                assertNear(record.createdAt(), claimedAt);
            }
            assertThat(record.expiresAt()).isNull();
            assertThat(record.response()).isNull();
        });
        assertInProgress(store().claim(key, FINGERPRINT, LEASE), LEASE);
        assertThat(store().complete(key, token, paymentCreated("found"), TTL)).isTrue();
    }

    @Test
    void findWhenCompletedThenReturnsResponseAndExpiry() {
        IdempotencyKey key = newKey();
        StoredResponse response = paymentCreated("pay_found");
        complete(key, claim(key), response);
        expire(key, Duration.ofMinutes(10));

        Optional<StoredRecord> found = store().find(key);

        assertThat(found).hasValueSatisfying((record) -> {
            assertThat(record.state()).isEqualTo(StoredRecord.State.COMPLETED);
            assertThat(record.response()).isEqualTo(response);
            assertNear(record.expiresAt(), now().plus(TTL).minus(Duration.ofMinutes(10)));
            assertThat(record.leaseExpiresAt()).isNull();
        });
        assertThat(store().claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
    }

    @Test
    void findWhenTimeToLivePassedThenReturnsEmpty() {
        IdempotencyKey key = newKey();
        complete(key, claim(key), paymentCreated("pay_gone"));
        expire(key, TTL);

        assertThat(store().find(key)).isEmpty();
    }

    @Test
    void findWhenLeaseExpiredUnderBlockThenReturnsInProgressWithLeaseInThePast() {
        IdempotencyStore blocking = createStore(this.clock, ExpiredLeasePolicy.BLOCK);
        IdempotencyKey key = newKey();
        blocking.claim(key, FINGERPRINT, LEASE);
        expire(key, LEASE.plusSeconds(10));

        assertThat(blocking.find(key)).hasValueSatisfying((record) -> {
            assertThat(record.state()).isEqualTo(StoredRecord.State.IN_PROGRESS);
            assertThat(record.leaseExpiresAt()).isBefore(now().minusSeconds(9));
        });
    }

    @Test
    void deleteWhenLeaseExpiredUnderBlockThenNextClaimClaims() {
        IdempotencyStore blocking = createStore(this.clock, ExpiredLeasePolicy.BLOCK);
        IdempotencyKey key = newKey();
        ClaimToken abandoned = token(blocking.claim(key, FINGERPRINT, LEASE));
        expire(key, LEASE);

        assertThat(blocking.delete(key)).isTrue();

        assertThat(blocking.find(key)).isEmpty();
        ClaimToken again = token(blocking.claim(key, FINGERPRINT, LEASE));
        assertThat(blocking.complete(key, abandoned, paymentCreated("abandoned"), TTL))
                .isFalse();
        assertThat(blocking.complete(key, again, paymentCreated("again"), TTL)).isTrue();
    }

    @Test
    void deleteWhenInProgressThenFencesOutTheOwner() {
        IdempotencyKey key = newKey();
        ClaimToken owner = claim(key);

        assertThat(store().delete(key)).isTrue();

        assertThat(store().complete(key, owner, paymentCreated("owner"), TTL)).isFalse();
        assertThat(store().renew(key, owner, LEASE)).isFalse();
        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    void deleteWhenCompletedThenNextClaimRunsAgain() {
        IdempotencyKey key = newKey();
        complete(key, claim(key), paymentCreated("deleted"));

        assertThat(store().delete(key)).isTrue();

        assertThat(store().claim(key, FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    @Test
    void deleteWhenKeyIsAbsentThenReturnsFalse() {
        assertThat(store().delete(newKey())).isFalse();
    }

    @Test
    void deleteWhenSameKeyInTwoScopesThenDeletesOnlyItsScope() {
        IdempotencyKey alices = new IdempotencyKey("alice POST /payments", "shared-" + UUID.randomUUID());
        IdempotencyKey bobs = new IdempotencyKey("bob POST /payments", alices.key());
        claim(alices);
        claim(bobs);

        assertThat(store().delete(alices)).isTrue();

        assertThat(store().find(alices)).isEmpty();
        assertThat(store().find(bobs)).isPresent();
    }

    /**
     * Claims a new key with {@link #FINGERPRINT}, failing the test unless the claim succeeds.
     * @param key the key
     * @return the claim's token
     */
    protected ClaimToken claim(IdempotencyKey key) {
        return token(store().claim(key, FINGERPRINT, LEASE));
    }

    private Takeover claimAndTakeOver(IdempotencyKey key) {
        ClaimToken stale = claim(key);
        expire(key, LEASE);
        return new Takeover(stale, token(store().claim(key, FINGERPRINT, LEASE)));
    }

    /**
     * Completes a claim, failing the test unless the store accepts it.
     * @param key the key
     * @param token the claim's token
     * @param response the response to record for {@link #TTL}
     */
    protected void complete(IdempotencyKey key, ClaimToken token, StoredResponse response) {
        assertThat(store().complete(key, token, response, TTL))
                .as("complete by the owner")
                .isTrue();
    }

    /**
     * Records a response under a new key and replays it, failing the test unless the replay returns an equal
     * response.
     * @param response the response to record
     * @return the replayed response
     */
    protected StoredResponse recordAndReplay(StoredResponse response) {
        IdempotencyKey key = newKey();
        complete(key, claim(key), response);
        ClaimResult replay = store().claim(key, FINGERPRINT, LEASE);
        assertThat(replay).isEqualTo(new Completed(response));
        return ((Completed) replay).response();
    }

    /**
     * Returns a typical recorded response: repeated header names in their sent order, a value holding
     * colons, an empty value, and a body with every byte value.
     * @param id what makes this response differ from others
     * @return the response
     */
    protected static StoredResponse paymentCreated(String id) {
        byte[] json = ("{\"id\":\"" + id + "\",\"amount\":5000,\"currency\":\"USD\"}").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 256];
        System.arraycopy(json, 0, body, 0, json.length);
        for (int i = 0; i < 256; i++) {
            body[json.length + i] = (byte) i;
        }
        List<Header> headers = List.of(
                new Header("Content-Type", "application/json"),
                new Header("Location", "http://localhost:8080/payments/" + id),
                new Header("X-Trace", "second"),
                new Header("x-trace", "first"),
                new Header("X-Empty", ""));
        return new StoredResponse(201, headers, body, false);
    }

    /**
     * Returns the token of a {@link Claimed} result, failing the test on any other result.
     * @param result the result
     * @return its token
     */
    protected static ClaimToken token(ClaimResult result) {
        assertThat(result).isInstanceOf(Claimed.class);
        return ((Claimed) result).token();
    }

    /**
     * Asserts that a result is {@link InProgress} with the given remaining lease, less at most
     * {@link #leaseTolerance()}.
     * @param result the result
     * @param expected the remaining lease expected
     */
    protected void assertInProgress(ClaimResult result, Duration expected) {
        assertThat(result)
                .isInstanceOfSatisfying(
                        InProgress.class,
                        (inProgress) -> assertThat(inProgress.leaseRemaining())
                                .isBetween(maxZero(expected.minus(leaseTolerance())), expected));
    }

    /**
     * Asserts that a result is {@link InProgress} with a claim held for the given time.
     * @param result the result
     * @param expected how long the claim has been held
     */
    protected void assertHeld(ClaimResult result, Duration expected) {
        assertThat(result)
                .isInstanceOfSatisfying(
                        InProgress.class,
                        // Real time may pass too, where the store's clock is partly real (Redis).
                        (inProgress) ->
                                assertThat(inProgress.held()).isBetween(expected, expected.plus(leaseTolerance())));
    }

    /**
     * Asserts that a time the store reports is the expected one, give or take {@link #leaseTolerance()}.
     * @param actual the reported time
     * @param expected the expected time
     */
    protected void assertNear(Instant actual, Instant expected) {
        assertThat(actual).isBetween(expected.minus(leaseTolerance()), expected.plus(leaseTolerance()));
    }

    private static Duration maxZero(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    /**
     * Runs a task on {@link #concurrentClaimers()} threads released together by a barrier.
     * @param task what each thread does, given its index
     * @param <T> what the task returns
     * @return the results in thread index order
     * @throws Exception if a thread fails or times out
     */
    protected <T> List<T> runTogether(IntFunction<T> task) throws Exception {
        int threads = concurrentClaimers();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                Callable<T> call = () -> {
                    start.await(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return task.apply(thread);
                };
                futures.add(executor.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }

    private record Takeover(ClaimToken stale, ClaimToken owner) {}
}
