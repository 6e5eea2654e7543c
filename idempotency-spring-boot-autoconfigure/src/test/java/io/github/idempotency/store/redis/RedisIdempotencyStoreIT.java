package io.github.idempotency.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.StoredResponse.Header;
import io.github.idempotency.testsupport.RedisTestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis store against a real Redis server ({@link RedisTestServer}): what it keeps in Redis, and its
 * fencing through the Lua scripts.
 */
class RedisIdempotencyStoreIT {

    /** Unique per run, so that concurrent runs against one server do not see each other's keys. */
    private static final String KEY_PREFIX = "idempotency-test:" + UUID.randomUUID() + ":";

    private static final String FINGERPRINT = "fingerprint-1";

    private static final Duration LEASE = Duration.ofSeconds(30);

    private static final Duration TTL = Duration.ofHours(1);

    private static final Duration ABANDONED_CLAIM_TTL = Duration.ofHours(2);

    private static final Duration EXPIRY_TIMEOUT = Duration.ofSeconds(5);

    private static LettuceConnectionFactory connectionFactory;

    private static StringRedisTemplate redis;

    private final RedisIdempotencyStore store = createStore(ExpiredLeasePolicy.TAKE_OVER);

    private final IdempotencyKey key =
            new IdempotencyKey("alice|POST /payments", UUID.randomUUID().toString());

    @BeforeAll
    static void connect() {
        connectionFactory = RedisTestServer.connectionFactory();
        redis = new StringRedisTemplate(connectionFactory);
    }

    @AfterAll
    static void disconnect() {
        if (connectionFactory != null) {
            RedisTestServer.deleteKeys(connectionFactory, KEY_PREFIX);
            connectionFactory.destroy();
        }
    }

    @Test
    void claimWhenKeyIsNewThenKeyExpiresWithTheLease() {
        claim(this.store);

        assertThat(pttl()).isBetween(LEASE.toMillis() - 5_000, LEASE.toMillis());
    }

    @Test
    void claimThenRedisKeyHoldsScopeHashAndNoScopeText() throws Exception {
        claim(this.store);

        String scopeHash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(this.key.scope().getBytes(StandardCharsets.UTF_8)));
        Set<String> keys = redis.keys(KEY_PREFIX + "*" + this.key.key());
        assertThat(keys).containsExactly(KEY_PREFIX + scopeHash + ":" + this.key.key());
        assertThat(keys.iterator().next()).doesNotContain("alice").doesNotContain("/payments");
    }

    @Test
    void completeThenRedisValueHoldsBodyBytesUnencoded() {
        byte[] body = new byte[64 * 1024];
        new Random(7).nextBytes(body);
        List<Header> headers = List.of(new Header("Content-Type", "application/octet-stream"));
        StoredResponse response = new StoredResponse(201, headers, body, false);

        this.store.complete(this.key, claim(this.store), response, TTL);

        byte[] value = rawValue();
        int headersLength = response.encodeHeaders().getBytes(StandardCharsets.UTF_8).length;
        // marker, fingerprint length and bytes, status, flags, headers length and bytes, then the body as is
        assertThat(value).hasSize(1 + 2 + FINGERPRINT.length() + 2 + 1 + 4 + headersLength + body.length);
        assertThat(Arrays.copyOfRange(value, value.length - body.length, value.length))
                .isEqualTo(body);
    }

    @Test
    void completeThenKeyExpiresWithTheTtl() {
        this.store.complete(this.key, claim(this.store), okResponse(), TTL);

        assertThat(pttl()).isBetween(TTL.toMillis() - 5_000, TTL.toMillis());
    }

    @Test
    void renewThenKeyExpiresWithTheNewLease() {
        ClaimToken token = claim(this.store);

        assertThat(this.store.renew(this.key, token, Duration.ofMinutes(10))).isTrue();

        assertThat(pttl())
                .isBetween(
                        Duration.ofMinutes(10).toMillis() - 5_000,
                        Duration.ofMinutes(10).toMillis());
    }

    @Test
    void completeWithStaleTokenAfterTakeoverThenNewOwnersRecordIsUntouched() {
        ClaimToken stale = claimAndLoseToTakeover();
        byte[] newOwners = rawValue();

        assertThat(this.store.complete(this.key, stale, okResponse(), TTL)).isFalse();

        assertThat(rawValue()).isEqualTo(newOwners);
    }

    @Test
    void releaseWithStaleTokenAfterTakeoverThenNewOwnersRecordStays() {
        ClaimToken stale = claimAndLoseToTakeover();
        byte[] newOwners = rawValue();

        assertThat(this.store.release(this.key, stale)).isFalse();

        assertThat(rawValue()).isEqualTo(newOwners);
    }

    @Test
    void renewWithStaleTokenAfterTakeoverThenNewOwnersLeaseIsUnchanged() {
        ClaimToken stale = claimAndLoseToTakeover();

        assertThat(this.store.renew(this.key, stale, Duration.ofHours(5))).isFalse();

        assertThat(pttl()).isLessThanOrEqualTo(LEASE.toMillis());
    }

    @Test
    void completeAfterScriptCacheIsFlushedThenLoadsScriptAgainAndCompletes() {
        ClaimToken token = claim(this.store);
        try (RedisConnection connection = connectionFactory.getConnection()) {
            connection.scriptingCommands().scriptFlush();
        }

        assertThat(this.store.complete(this.key, token, okResponse(), TTL)).isTrue();

        assertThat(claim(this.store, FINGERPRINT)).isEqualTo(new ClaimResult.Completed(okResponse()));
    }

    @Test
    void claimWhenValueIsNotARecordThenThrowsStoreException() {
        redis.opsForValue().set(redisKeyText(), "written by someone else");

        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> claim(this.store, FINGERPRINT))
                .withMessageContaining("Unreadable idempotency record");
    }

    @Test
    void claimUnderBlockThenKeyOutlivesTheLeaseByTheAbandonedClaimTtl() {
        claim(createStore(ExpiredLeasePolicy.BLOCK));

        long expected = LEASE.plus(ABANDONED_CLAIM_TTL).toMillis();
        assertThat(pttl()).isBetween(expected - 5_000, expected);
    }

    @Test
    void claimUnderBlockWhileLeaseIsLiveThenReturnsLeaseRemaining() {
        RedisIdempotencyStore blocking = createStore(ExpiredLeasePolicy.BLOCK);
        claim(blocking);

        ClaimResult result = claim(blocking, FINGERPRINT);

        assertThat(result).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(((ClaimResult.InProgress) result).leaseRemaining()).isBetween(LEASE.minusSeconds(5), LEASE);
    }

    @Test
    void claimUnderBlockWhenLeaseExpiredThenReturnsInProgressAndKeepsTheKey() {
        RedisIdempotencyStore blocking = createStore(ExpiredLeasePolicy.BLOCK);
        claim(blocking);
        // The lease is over when the key has no more than its abandoned-claim TTL left.
        redis.expire(redisKeyText(), ABANDONED_CLAIM_TTL.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(claim(blocking, FINGERPRINT)).isEqualTo(new ClaimResult.InProgress(Duration.ZERO));
        assertThat(redis.hasKey(redisKeyText())).isTrue();
    }

    @Test
    void renewUnderBlockAfterLeaseExpiredThenOwnerHasLiveLeaseAgain() {
        RedisIdempotencyStore blocking = createStore(ExpiredLeasePolicy.BLOCK);
        ClaimToken token = claim(blocking);
        redis.expire(redisKeyText(), ABANDONED_CLAIM_TTL.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(blocking.renew(this.key, token, LEASE)).isTrue();

        ClaimResult result = claim(blocking, FINGERPRINT);
        assertThat(((ClaimResult.InProgress) result).leaseRemaining()).isBetween(LEASE.minusSeconds(5), LEASE);
    }

    private static RedisIdempotencyStore createStore(ExpiredLeasePolicy policy) {
        return new RedisIdempotencyStore(connectionFactory, KEY_PREFIX, policy, ABANDONED_CLAIM_TTL);
    }

    private ClaimToken claim(RedisIdempotencyStore store) {
        ClaimResult result = claim(store, FINGERPRINT);
        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        return ((ClaimResult.Claimed) result).token();
    }

    private ClaimResult claim(RedisIdempotencyStore store, String fingerprint) {
        return store.claim(this.key, fingerprint, LEASE);
    }

    /** Claims the key, lets the lease expire and has another request take the key over. */
    private ClaimToken claimAndLoseToTakeover() {
        ClaimToken stale = claim(this.store);
        expireNow();
        ClaimToken fresh = claim(this.store);
        assertThat(fresh).isNotEqualTo(stale);
        return stale;
    }

    /** Lets Redis expire the key now, as it does when the time is up, and waits until it is gone. */
    private void expireNow() {
        redis.expire(redisKeyText(), 1, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + EXPIRY_TIMEOUT.toNanos();
        while (Boolean.TRUE.equals(redis.hasKey(redisKeyText()))) {
            assertThat(System.nanoTime()).as("key expired in time").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    private long pttl() {
        return redis.getExpire(redisKeyText(), TimeUnit.MILLISECONDS);
    }

    private byte[] rawValue() {
        try (RedisConnection connection = connectionFactory.getConnection()) {
            return connection.stringCommands().get(redisKey());
        }
    }

    private byte[] redisKey() {
        return this.store.redisKey(this.key);
    }

    private String redisKeyText() {
        return new String(redisKey(), StandardCharsets.UTF_8);
    }

    private static StoredResponse okResponse() {
        return new StoredResponse(
                200, List.of(new Header("Content-Type", "text/plain")), "ok".getBytes(StandardCharsets.UTF_8), false);
    }
}
