package io.github.idempotency.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.StoredResponse.Header;
import io.github.idempotency.store.IdempotencyStoreContractTests;
import io.github.idempotency.testsupport.RedisTestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link IdempotencyStoreContractTests} for {@link RedisIdempotencyStore} against a real Redis server
 * ({@link RedisTestServer}), plus what the store keeps in Redis and its fencing through the Lua scripts.
 *
 * <p>Redis counts leases and time to live on its own clock, so time passes here by shortening the key's
 * expiry ({@code PEXPIRE}); when the time is up, the key is expired by Redis and awaited.
 */
class RedisIdempotencyStoreIT extends IdempotencyStoreContractTests {

    /** Unique per run, so that concurrent runs against one server do not see each other's keys. */
    private static final String KEY_PREFIX = "idempotency-test:" + UUID.randomUUID() + ":";

    /** Longer than any time the contract lets pass, so an abandoned claim under BLOCK outlives the tests. */
    private static final Duration ABANDONED_CLAIM_TTL = Duration.ofDays(1);

    private static final Duration EXPIRY_TIMEOUT = Duration.ofSeconds(5);

    private static RedisConnectionFactory connectionFactory;

    private static StringRedisTemplate redis;

    @BeforeAll
    static void connect() {
        connect(RedisTestServer.connectionFactory());
    }

    /**
     * Runs the tests on a connection factory, which they destroy at the end; a subclass's own static
     * {@code connect()} hides this class's and calls this with another client's factory.
     * @param factory a started connection factory to the test Redis
     */
    static void connect(RedisConnectionFactory factory) {
        connectionFactory = factory;
        redis = new StringRedisTemplate(factory);
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (connectionFactory != null) {
            RedisTestServer.deleteKeys(connectionFactory, KEY_PREFIX);
            ((DisposableBean) connectionFactory).destroy();
        }
    }

    @Override
    protected IdempotencyStore createStore(Clock clock, ExpiredLeasePolicy expiredLeasePolicy) {
        return new RedisIdempotencyStore(
                connectionFactory, KEY_PREFIX, expiredLeasePolicy, ABANDONED_CLAIM_TTL, realTime(clock));
    }

    /**
     * Returns real time moved on as far as the contract's clock has been moved: Redis counts leases and times
     * to live in real time, which the store adds to its clock's time, while the claim times it stamps must
     * move with the contract's clock.
     */
    private static Clock realTime(Clock contractClock) {
        return new Clock() {

            @Override
            public Instant instant() {
                return Instant.now().plus(Duration.between(START, contractClock.instant()));
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Override
    protected void expire(IdempotencyKey key, Duration by) {
        // Leases are Redis's; how long a claim has been held is the clock's.
        clock().advance(by);
        String redisKey = redisKey(key);
        long remaining = redis.getExpire(redisKey, TimeUnit.MILLISECONDS);
        if (remaining > by.toMillis()) {
            redis.expire(redisKey, remaining - by.toMillis(), TimeUnit.MILLISECONDS);
        } else if (remaining > 0) {
            expireNow(redisKey);
        }
    }

    @Override
    protected Instant now() {
        return realTime(clock()).instant();
    }

    @Override
    protected Duration leaseTolerance() {
        return Duration.ofSeconds(3);
    }

    @Override
    protected boolean reportsTakeovers() {
        // An expired lease is gone from Redis before the next claim's SET NX can see it.
        return false;
    }

    @Test
    void claimWhenKeyIsNewThenKeyExpiresWithTheLease() {
        IdempotencyKey key = newKey();
        claim(key);

        assertExpiresIn(key, LEASE);
    }

    @Test
    void claimThenRedisKeyHoldsScopeHashAndNoScopeText() throws Exception {
        IdempotencyKey key = new IdempotencyKey("alice@example.com POST /payments", "key-" + UUID.randomUUID());
        claim(key);

        String scopeHash = HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256").digest(key.scope().getBytes(StandardCharsets.UTF_8)));
        assertThat(redis.keys(KEY_PREFIX + "*" + key.key()))
                .containsExactly(KEY_PREFIX + scopeHash + ":" + key.key())
                .noneMatch((redisKey) -> redisKey.contains("alice") || redisKey.contains("/payments"));
    }

    @Test
    void completeThenRedisValueHoldsBodyBytesUnencoded() {
        IdempotencyKey key = newKey();
        byte[] body = new byte[64 * 1024];
        new Random(7).nextBytes(body);
        StoredResponse response =
                new StoredResponse(201, List.of(new Header("Content-Type", "application/octet-stream")), body, false);

        complete(key, claim(key), response);

        byte[] value = rawValue(key);
        int headersLength = response.encodeHeaders().getBytes(StandardCharsets.UTF_8).length;
        // marker, fingerprint length and bytes, status, flags, headers length and bytes, then the body as is
        assertThat(value).hasSize(1 + 2 + FINGERPRINT.length() + 2 + 1 + 4 + headersLength + body.length);
        assertThat(Arrays.copyOfRange(value, value.length - body.length, value.length))
                .isEqualTo(body);
    }

    @Test
    void completeThenKeyExpiresWithTheTtl() {
        IdempotencyKey key = newKey();

        complete(key, claim(key), paymentCreated("ttl"));

        assertExpiresIn(key, TTL);
    }

    @Test
    void renewThenKeyExpiresWithTheNewLease() {
        IdempotencyKey key = newKey();
        ClaimToken token = claim(key);

        assertThat(store().renew(key, token, Duration.ofMinutes(10))).isTrue();

        assertExpiresIn(key, Duration.ofMinutes(10));
    }

    @Test
    void completeWithStaleTokenAfterTakeoverThenNewOwnersValueIsUntouched() {
        IdempotencyKey key = newKey();
        ClaimToken stale = claimAndLoseToTakeover(key);
        byte[] newOwners = rawValue(key);

        assertThat(store().complete(key, stale, paymentCreated("stale"), TTL)).isFalse();

        assertThat(rawValue(key)).isEqualTo(newOwners);
    }

    @Test
    void releaseWithStaleTokenAfterTakeoverThenNewOwnersKeyStays() {
        IdempotencyKey key = newKey();
        ClaimToken stale = claimAndLoseToTakeover(key);
        byte[] newOwners = rawValue(key);

        assertThat(store().release(key, stale)).isFalse();

        assertThat(rawValue(key)).isEqualTo(newOwners);
    }

    @Test
    void renewWithStaleTokenAfterTakeoverThenNewOwnersExpiryIsUnchanged() {
        IdempotencyKey key = newKey();
        ClaimToken stale = claimAndLoseToTakeover(key);

        assertThat(store().renew(key, stale, Duration.ofHours(5))).isFalse();

        assertExpiresIn(key, LEASE);
    }

    @Test
    void completeAfterScriptCacheIsFlushedThenLoadsScriptAgainAndCompletes() {
        IdempotencyKey key = newKey();
        ClaimToken token = claim(key);
        try (RedisConnection connection = connectionFactory.getConnection()) {
            connection.scriptingCommands().scriptFlush();
        }

        assertThat(store().complete(key, token, paymentCreated("flushed"), TTL)).isTrue();

        assertThat(store().claim(key, FINGERPRINT, LEASE))
                .isEqualTo(new ClaimResult.Completed(paymentCreated("flushed")));
    }

    @Test
    void claimWhenValueIsNotARecordThenThrowsStoreException() {
        IdempotencyKey key = newKey();
        redis.opsForValue().set(redisKey(key), "written by someone else");

        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> store().claim(key, FINGERPRINT, LEASE))
                .withMessageContaining("Unreadable idempotency record");
    }

    @Test
    void claimWhenKeyHoldsInProgressRecordOfTheFirstLayoutThenReturnsInProgressHeldForAnUnknownTime() {
        IdempotencyKey key = newKey();
        byte[] firstLayout = RedisRecordCodecTests.firstLayoutInProgress(ClaimToken.random(), FINGERPRINT, 0);
        try (RedisConnection connection = connectionFactory.getConnection()) {
            connection.stringCommands().pSetEx(redisKey(key).getBytes(StandardCharsets.UTF_8), 20_000, firstLayout);
        }

        assertThat(store().claim(key, FINGERPRINT, LEASE))
                .isInstanceOfSatisfying(ClaimResult.InProgress.class, (inProgress) -> {
                    assertThat(inProgress.held()).isZero();
                    assertThat(inProgress.leaseRemaining())
                            .isBetween(Duration.ofSeconds(20).minus(leaseTolerance()), Duration.ofSeconds(20));
                });
        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(ClaimResult.Mismatch.class);
    }

    @Test
    void claimUnderBlockThenKeyOutlivesTheLeaseByTheAbandonedClaimTtl() {
        IdempotencyKey key = newKey();

        token(createStore(clock(), ExpiredLeasePolicy.BLOCK).claim(key, FINGERPRINT, LEASE));

        assertExpiresIn(key, LEASE.plus(ABANDONED_CLAIM_TTL));
    }

    @Test
    void claimUnderBlockWhileLeaseIsLiveThenReturnsLeaseRemaining() {
        IdempotencyStore blocking = createStore(clock(), ExpiredLeasePolicy.BLOCK);
        IdempotencyKey key = newKey();
        token(blocking.claim(key, FINGERPRINT, LEASE));
        expire(key, Duration.ofSeconds(10));

        assertInProgress(blocking.claim(key, FINGERPRINT, LEASE), Duration.ofSeconds(20));
    }

    @Test
    void renewUnderBlockAfterLeaseExpiredThenOwnerHasLiveLeaseAgain() {
        IdempotencyStore blocking = createStore(clock(), ExpiredLeasePolicy.BLOCK);
        IdempotencyKey key = newKey();
        ClaimToken token = token(blocking.claim(key, FINGERPRINT, LEASE));
        expire(key, LEASE);

        assertThat(blocking.renew(key, token, LEASE)).isTrue();

        assertInProgress(blocking.claim(key, FINGERPRINT, LEASE), LEASE);
        assertExpiresIn(key, LEASE.plus(ABANDONED_CLAIM_TTL));
    }

    /** Claims the key, lets the lease expire and has another request take the key over. */
    private ClaimToken claimAndLoseToTakeover(IdempotencyKey key) {
        ClaimToken stale = claim(key);
        expire(key, LEASE);
        assertThat(claim(key)).isNotEqualTo(stale);
        return stale;
    }

    /** Lets Redis expire the key now, as it does when the time is up, and waits until it is gone. */
    private static void expireNow(String redisKey) {
        redis.expire(redisKey, 1, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + EXPIRY_TIMEOUT.toNanos();
        while (Boolean.TRUE.equals(redis.hasKey(redisKey))) {
            assertThat(System.nanoTime()).as("key expired in time").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    private void assertExpiresIn(IdempotencyKey key, Duration expected) {
        assertThat(redis.getExpire(redisKey(key), TimeUnit.MILLISECONDS))
                .isBetween(expected.minus(leaseTolerance()).toMillis(), expected.toMillis());
    }

    private byte[] rawValue(IdempotencyKey key) {
        try (RedisConnection connection = connectionFactory.getConnection()) {
            return connection.stringCommands().get(redisKey(key).getBytes(StandardCharsets.UTF_8));
        }
    }

    private String redisKey(IdempotencyKey key) {
        return new String(((RedisIdempotencyStore) store()).redisKey(key), StandardCharsets.UTF_8);
    }
}
