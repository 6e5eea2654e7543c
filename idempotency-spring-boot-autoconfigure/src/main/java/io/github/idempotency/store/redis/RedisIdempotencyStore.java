package io.github.idempotency.store.redis;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredRecord;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.store.redis.RedisRecordCodec.CompletedRecord;
import io.github.idempotency.store.redis.RedisRecordCodec.InProgressRecord;
import io.github.idempotency.store.redis.RedisRecordCodec.RedisRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SetCondition;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} in Redis, through Spring Data Redis on the application's
 * {@link RedisConnectionFactory}. Claims are atomic across every instance that shares the Redis server.
 *
 * <p><b>Keys.</b> A record is one Redis string at {@code keyPrefix + hex(SHA-256(scope)) + ":" + key}. The
 * scope is hashed so that user names never appear in key names; since every command and script touches
 * one key, the store works on Redis Cluster. The value's layout is described in {@link RedisRecordCodec}:
 * a marker byte for the state, the owner token, the fingerprint, for an in-progress record the time of the
 * claim, and for a completed record the status, the headers and the body's raw bytes.
 *
 * <p><b>Claims.</b> A key is claimed by one command, {@code SET key value NX PX lease GET}, so that of many
 * concurrent claimers exactly one wins, and a loser gets the record it lost to in the same reply: a replay or
 * a mismatch needs no second round trip. Only an in-progress answer reads the key's remaining time
 * ({@code PTTL}) for {@code Retry-After}; if the record vanished in between (released, or expired), the claim
 * is tried again, a bounded number of times. Redis before 7.0 refuses {@code NX} with {@code GET}: there the
 * store falls back, after the first refusal, to {@code SET NX} and a read-only script that returns the record
 * and its remaining time.
 *
 * <p><b>Expired leases.</b> Leases are Redis expiry times, counted by the server, so no clocks of the
 * instances are compared for them; only how long a claim has been held, which a duplicate is told to estimate
 * its {@code Retry-After}, compares the claiming instance's clock with the duplicate's. Under {@link ExpiredLeasePolicy#TAKE_OVER} an in-progress record expires with its
 * lease and the next {@code SET NX} wins the key; the store cannot tell that this took over an abandoned
 * claim, so {@link ClaimResult.Claimed#takenOver()} is always {@code false}. Under
 * {@link ExpiredLeasePolicy#BLOCK} an in-progress record expires {@code abandonedClaimTtl} after its lease
 * (the record keeps that duration, and the lease left is the key's remaining time less it), so an abandoned
 * claim keeps answering in progress until an operator deletes the key or that time passes.
 *
 * <p><b>Fencing.</b> {@code complete}, {@code release} and {@code renew} are Lua scripts that first compare
 * the record's owner token with the caller's, so a request whose lease expired and was taken over can
 * neither overwrite nor delete the new owner's record. Spring runs them by {@code EVALSHA}, loading them
 * again after a server restart.
 *
 * <p><b>Round trips.</b> A first request takes two: the claim's {@code SET} and the completion script. A
 * replay, or a request whose key was used for a different request, takes one; a concurrent duplicate takes
 * two (the {@code SET} and the {@code PTTL}). On Redis before 7.0 every request that loses the claim takes
 * two.
 *
 * <p><b>Failures.</b> Every Redis error (refused connection, command timeout, server error) is thrown as
 * {@link IdempotencyStoreException}. Calls are bounded by the connection factory's connect and command
 * timeouts ({@code spring.data.redis.connect-timeout} and {@code spring.data.redis.timeout}; Lettuce waits
 * 60 seconds for a command when none is set). Redis replicates asynchronously: after a failover, a replica
 * that had not yet received a claim lets one duplicate run, within the replication lag.
 */
public class RedisIdempotencyStore implements IdempotencyStore {

    /** How often a claim is tried when the record it lost to keeps vanishing before it can be read. */
    private static final int MAX_CLAIM_ATTEMPTS = 3;

    @SuppressWarnings("rawtypes") // the reply is a value and a number, read by position
    private static final RedisScript<List> READ_SCRIPT = RedisScript.of("""
            local value = redis.call('GET', KEYS[1])
            if not value then
              return {}
            end
            return {value, redis.call('PTTL', KEYS[1])}
            """, List.class);

    private static final RedisScript<Long> COMPLETE_SCRIPT = RedisScript.of(
            """
            local current = redis.call('GET', KEYS[1])
            if not current or string.sub(current, 1, %1$d) ~= ARGV[1] then
              return 0
            end
            redis.call('SET', KEYS[1], '%2$c' .. string.sub(current, %3$d) .. ARGV[2], 'PX', ARGV[3])
            return 1
            """.formatted(
                            RedisRecordCodec.OWNER_HEADER_LENGTH,
                            (char) RedisRecordCodec.COMPLETED,
                            RedisRecordCodec.FINGERPRINT_FIELD_OFFSET + 1),
            Long.class);

    private static final RedisScript<Long> RELEASE_SCRIPT =
            RedisScript.of("""
            if redis.call('GETRANGE', KEYS[1], 0, %d) ~= ARGV[1] then
              return 0
            end
            redis.call('DEL', KEYS[1])
            return 1
            """.formatted(RedisRecordCodec.OWNER_HEADER_LENGTH - 1), Long.class);

    // The key's expiry is the lease plus the record's abandoned-claim TTL (8 bytes, big-endian).
    private static final RedisScript<Long> RENEW_SCRIPT = RedisScript.of(
            """
            local head = redis.call('GETRANGE', KEYS[1], 0, %1$d)
            if string.sub(head, 1, %2$d) ~= ARGV[1] then
              return 0
            end
            local abandonedClaimTtl = 0
            for i = %3$d, %4$d do
              abandonedClaimTtl = abandonedClaimTtl * 256 + string.byte(head, i)
            end
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + abandonedClaimTtl)
            return 1
            """.formatted(
                            RedisRecordCodec.CLAIMED_AT_OFFSET - 1,
                            RedisRecordCodec.OWNER_HEADER_LENGTH,
                            RedisRecordCodec.ABANDONED_CLAIM_TTL_OFFSET + 1,
                            RedisRecordCodec.CLAIMED_AT_OFFSET),
            Long.class);

    private final RedisTemplate<byte[], byte[]> redis;

    private final String keyPrefix;

    private final long abandonedClaimTtlMillis;

    private final Clock clock;

    /** Whether the server accepts {@code SET ... NX GET} (Redis 7.0 and later); cleared at the first refusal. */
    private volatile boolean setGetSupported = true;

    /**
     * Creates a store that takes the time of claims from the system clock.
     * @param connectionFactory the application's connection to Redis
     * @param keyPrefix prefix of every key the store writes, for example {@code "idempotency:"}
     * @param expiredLeasePolicy what a claim does with an expired lease
     * @param abandonedClaimTtl under {@link ExpiredLeasePolicy#BLOCK}, how long a claim whose lease expired
     * keeps its key blocked before Redis drops it (the application's {@code idempotency.ttl} is a natural
     * choice); ignored under {@link ExpiredLeasePolicy#TAKE_OVER}
     */
    public RedisIdempotencyStore(
            RedisConnectionFactory connectionFactory,
            String keyPrefix,
            ExpiredLeasePolicy expiredLeasePolicy,
            Duration abandonedClaimTtl) {
        this(connectionFactory, keyPrefix, expiredLeasePolicy, abandonedClaimTtl, Clock.systemUTC());
    }

    /**
     * Creates a store.
     * @param connectionFactory the application's connection to Redis
     * @param keyPrefix prefix of every key the store writes, for example {@code "idempotency:"}
     * @param expiredLeasePolicy what a claim does with an expired lease
     * @param abandonedClaimTtl under {@link ExpiredLeasePolicy#BLOCK}, how long a claim whose lease expired
     * keeps its key blocked before Redis drops it (the application's {@code idempotency.ttl} is a natural
     * choice); ignored under {@link ExpiredLeasePolicy#TAKE_OVER}
     * @param clock source of the time a claim is made, kept in the record so that a duplicate learns how
     * long the claim has been held ({@link ClaimResult.InProgress#held()}); leases and times to live are
     * counted by Redis, not by it
     */
    public RedisIdempotencyStore(
            RedisConnectionFactory connectionFactory,
            String keyPrefix,
            ExpiredLeasePolicy expiredLeasePolicy,
            Duration abandonedClaimTtl,
            Clock clock) {
        Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
        Assert.notNull(keyPrefix, "'keyPrefix' must not be null");
        Assert.notNull(expiredLeasePolicy, "'expiredLeasePolicy' must not be null");
        Assert.notNull(clock, "'clock' must not be null");
        this.clock = clock;
        if (expiredLeasePolicy == ExpiredLeasePolicy.BLOCK) {
            Assert.isTrue(
                    abandonedClaimTtl != null && abandonedClaimTtl.toMillis() > 0,
                    "'abandonedClaimTtl' must be at least a millisecond under the BLOCK policy");
            this.abandonedClaimTtlMillis = abandonedClaimTtl.toMillis();
        } else {
            this.abandonedClaimTtlMillis = 0;
        }
        this.keyPrefix = keyPrefix;
        this.redis = new RedisTemplate<>();
        this.redis.setConnectionFactory(connectionFactory);
        this.redis.setKeySerializer(RedisSerializer.byteArray());
        this.redis.setValueSerializer(RedisSerializer.byteArray());
        this.redis.afterPropertiesSet();
    }

    @Override
    public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
        Assert.notNull(fingerprint, "'fingerprint' must not be null");
        long leaseMillis = positiveMillis(lease, "lease");
        byte[] redisKey = redisKey(key);
        return execute("claim", redisKey, () -> {
            for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
                ClaimToken token = ClaimToken.random();
                byte[] record = RedisRecordCodec.encodeInProgress(
                        token, fingerprint, this.abandonedClaimTtlMillis, this.clock.millis());
                long expiryMillis = leaseMillis + this.abandonedClaimTtlMillis;
                ClaimResult result = this.setGetSupported
                        ? claimWithSetGet(redisKey, record, expiryMillis, token, fingerprint)
                        : claimWithReadScript(redisKey, record, expiryMillis, token, fingerprint);
                if (result != null) {
                    return result;
                }
            }
            // Other requests keep claiming and releasing the key faster than it can be read: it is busy.
            return new ClaimResult.InProgress(Duration.ZERO);
        });
    }

    @Override
    public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
        Assert.notNull(token, "'token' must not be null");
        Assert.notNull(response, "'response' must not be null");
        byte[] ttlMillis = number(positiveMillis(ttl, "ttl"));
        byte[] tail = RedisRecordCodec.encodeCompletedTail(response);
        return runOwned("complete", key, COMPLETE_SCRIPT, RedisRecordCodec.ownerHeader(token), tail, ttlMillis);
    }

    @Override
    public boolean release(IdempotencyKey key, ClaimToken token) {
        Assert.notNull(token, "'token' must not be null");
        return runOwned("release", key, RELEASE_SCRIPT, RedisRecordCodec.ownerHeader(token));
    }

    @Override
    public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
        Assert.notNull(token, "'token' must not be null");
        byte[] leaseMillis = number(positiveMillis(lease, "lease"));
        return runOwned("renew", key, RENEW_SCRIPT, RedisRecordCodec.ownerHeader(token), leaseMillis);
    }

    /**
     * {@inheritDoc}
     * <p>One round trip: a read-only script returns the value and its remaining time. Redis keeps no
     * creation time, so {@link StoredRecord#createdAt()} is {@code null}; the other times are the remaining
     * times counted by Redis, added to this store's clock.
     */
    @Override
    public Optional<StoredRecord> find(IdempotencyKey key) {
        byte[] redisKey = redisKey(key);
        List<?> found = execute("look up", redisKey, () -> this.redis.execute(READ_SCRIPT, List.of(redisKey)));
        if (found == null || found.isEmpty()) {
            return Optional.empty();
        }
        RedisRecord record = RedisRecordCodec.decode((byte[]) found.get(0));
        long remainingMillis = (Long) found.get(1);
        Instant now = this.clock.instant();
        if (record instanceof CompletedRecord completed) {
            // -1: no expiry, which only a PERSIST by hand gives a record.
            Instant expiresAt = (remainingMillis < 0) ? Instant.MAX : now.plusMillis(remainingMillis);
            return Optional.of(StoredRecord.completed(null, expiresAt, completed.response()));
        }
        InProgressRecord inProgress = (InProgressRecord) record;
        long leaseLeft = remainingMillis - inProgress.abandonedClaimTtlMillis();
        // Records of the older layout carry no claim time.
        Instant claimedAt = (inProgress.claimedAtMillis() != InProgressRecord.UNKNOWN)
                ? Instant.ofEpochMilli(inProgress.claimedAtMillis())
                : null;
        return Optional.of(StoredRecord.inProgress(claimedAt, now.plusMillis((remainingMillis < 0) ? 0 : leaseLeft)));
    }

    @Override
    public boolean delete(IdempotencyKey key) {
        byte[] redisKey = redisKey(key);
        Long deleted = execute(
                "delete",
                redisKey,
                () -> this.redis.execute((RedisCallback<Long>)
                        (connection) -> connection.keyCommands().del(redisKey)));
        return deleted != null && deleted > 0;
    }

    /**
     * Returns the Redis key of a record: the prefix, the hex SHA-256 of the scope, a colon and the key.
     * @param key the record's address
     * @return the Redis key, UTF-8 encoded
     */
    public byte[] redisKey(IdempotencyKey key) {
        Assert.notNull(key, "'key' must not be null");
        return (this.keyPrefix + sha256Hex(key.scope()) + ":" + key.key()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Claims in one round trip, or two for an in-progress answer.
     * @return the outcome, or {@code null} when the record vanished before its remaining time was read
     */
    private ClaimResult claimWithSetGet(
            byte[] redisKey, byte[] record, long expiryMillis, ClaimToken token, String fingerprint) {
        byte[] previous;
        try {
            RedisCallback<byte[]> setGet = (connection) -> connection
                    .stringCommands()
                    .setGet(redisKey, record, SetCondition.ifAbsent(), Expiration.milliseconds(expiryMillis));
            previous = this.redis.execute(setGet);
        } catch (DataAccessException ex) {
            if (!isSyntaxError(ex)) {
                throw ex;
            }
            this.setGetSupported = false;
            return claimWithReadScript(redisKey, record, expiryMillis, token, fingerprint);
        }
        if (previous == null) {
            return new ClaimResult.Claimed(token, false);
        }
        RedisRecord found = RedisRecordCodec.decode(previous);
        if (!(found instanceof InProgressRecord) || !found.fingerprint().equals(fingerprint)) {
            return existing(found, 0, fingerprint);
        }
        Long remainingMillis = this.redis.execute(
                (RedisCallback<Long>) (connection) -> connection.keyCommands().pTtl(redisKey));
        // -2: the key is gone (released or expired since the SET): claim again.
        return (remainingMillis == null || remainingMillis == -2)
                ? null
                : existing(found, remainingMillis, fingerprint);
    }

    /**
     * Claims the way Redis before 7.0 allows: {@code SET NX}, then a read of the record that won.
     * @return the outcome, or {@code null} when the record vanished before it could be read
     */
    private ClaimResult claimWithReadScript(
            byte[] redisKey, byte[] record, long expiryMillis, ClaimToken token, String fingerprint) {
        if (setIfAbsent(redisKey, record, expiryMillis)) {
            return new ClaimResult.Claimed(token, false);
        }
        List<?> found = this.redis.execute(READ_SCRIPT, List.of(redisKey));
        if (found == null || found.isEmpty()) {
            return null;
        }
        return existing(RedisRecordCodec.decode((byte[]) found.get(0)), (Long) found.get(1), fingerprint);
    }

    private static boolean isSyntaxError(DataAccessException ex) {
        // Redis 6.2 answers "ERR syntax error" to SET with both NX and GET.
        String message = ex.getMostSpecificCause().getMessage();
        return message != null && message.contains("syntax error");
    }

    /**
     * Makes the claims use {@code SET NX} and a read script, as on Redis before 7.0, whatever the server.
     */
    void useReadScriptClaims() {
        this.setGetSupported = false;
    }

    private boolean setIfAbsent(byte[] redisKey, byte[] record, long expiryMillis) {
        RedisCallback<Boolean> set = (connection) -> connection
                .stringCommands()
                .set(redisKey, record, SetCondition.ifAbsent(), Expiration.milliseconds(expiryMillis));
        return Boolean.TRUE.equals(this.redis.execute(set));
    }

    private ClaimResult existing(RedisRecord record, long remainingMillis, String fingerprint) {
        if (!record.fingerprint().equals(fingerprint)) {
            return new ClaimResult.Mismatch();
        }
        if (record instanceof CompletedRecord completed) {
            return new ClaimResult.Completed(completed.response());
        }
        // The key outlives the lease by the record's abandoned-claim TTL (zero under TAKE_OVER); a key
        // without expiry (someone ran PERSIST on it) counts as an expired lease.
        InProgressRecord inProgress = (InProgressRecord) record;
        long leaseLeft = remainingMillis - inProgress.abandonedClaimTtlMillis();
        // The claim time is the claiming instance's clock: a skew between instances skews this by as much.
        long held = (inProgress.claimedAtMillis() != InProgressRecord.UNKNOWN)
                ? Math.max(0, this.clock.millis() - inProgress.claimedAtMillis())
                : 0;
        return new ClaimResult.InProgress(Duration.ofMillis(Math.max(0, leaseLeft)), Duration.ofMillis(held));
    }

    private boolean runOwned(String action, IdempotencyKey key, RedisScript<Long> script, byte[]... args) {
        byte[] redisKey = redisKey(key);
        Long owned = execute(action, redisKey, () -> this.redis.execute(script, List.of(redisKey), (Object[]) args));
        return Long.valueOf(1).equals(owned);
    }

    private <T> T execute(String action, byte[] redisKey, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException ex) {
            throw new IdempotencyStoreException(
                    "Redis idempotency store could not " + action + " key '"
                            + new String(redisKey, StandardCharsets.UTF_8) + "': " + ex.getMessage(),
                    ex);
        }
    }

    private static long positiveMillis(Duration duration, String name) {
        Assert.isTrue(
                duration != null && duration.toMillis() > 0,
                () -> "'" + name + "' must be at least a millisecond, Redis's expiry resolution");
        return duration.toMillis();
    }

    private static byte[] number(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(ex);
        }
    }
}
