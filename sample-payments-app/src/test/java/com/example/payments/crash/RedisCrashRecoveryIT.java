package com.example.payments.crash;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.store.redis.RedisIdempotencyStore;
import io.github.idempotency.testsupport.RedisTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Crashes with the keys in Redis (found by {@link RedisTestServer}) and the payments in PostgreSQL: the lease
 * mode across two stores, the only mode Redis has.
 */
class RedisCrashRecoveryIT extends AbstractLeaseModeCrashRecoveryIT {

    // The default scope of alice's POST /payments: user and endpoint.
    private static final String SCOPE = "user:alice POST /payments";

    private final String keyPrefix = "crash-" + UUID.randomUUID() + ":";

    private LettuceConnectionFactory redis;

    // Only its key names are used: the apps' own store is the one that writes.
    private RedisIdempotencyStore addressing;

    RedisCrashRecoveryIT() {
        super("Redis");
    }

    @Override
    protected List<String> storeArguments() {
        RedisStandaloneConfiguration server = RedisTestServer.standaloneConfiguration();
        return List.of(
                "--spring.profiles.active=postgres,redis",
                "--spring.data.redis.host=" + server.getHostName(),
                "--spring.data.redis.port=" + server.getPort(),
                "--spring.data.redis.database=" + server.getDatabase(),
                "--idempotency.redis.key-prefix=" + this.keyPrefix);
    }

    @Override
    protected Map<String, String> storeEnvironment() {
        RedisStandaloneConfiguration server = RedisTestServer.standaloneConfiguration();
        return server.getPassword().isPresent()
                ? Map.of(
                        "SPRING_DATA_REDIS_PASSWORD",
                        new String(server.getPassword().get()))
                : Map.of();
    }

    @Override
    protected RecordState recordState(String key) {
        // Addressed as the apps' store addresses it; scanning for it instead would take longer than a lease on
        // a server holding many keys.
        byte[] redisKey = this.addressing.redisKey(new IdempotencyKey(SCOPE, key));
        try (RedisConnection connection = this.redis.getConnection()) {
            byte[] value = connection.stringCommands().get(redisKey);
            Long millisLeft = connection.keyCommands().pTtl(redisKey);
            if (value == null || millisLeft == null || millisLeft < 0) {
                return RecordState.NONE;
            }
            // The value's first byte says its state: 'Q' (or 'P', the first layout) in progress, 'C' completed.
            return switch (value[0]) {
                case 'Q', 'P' -> RecordState.inProgress(Duration.ofMillis(millisLeft));
                case 'C' -> RecordState.COMPLETED;
                default -> throw new IllegalStateException("Unknown record marker " + (char) value[0]);
            };
        }
    }

    @Override
    protected void connectToStore() {
        this.redis = RedisTestServer.connectionFactory();
        this.addressing = new RedisIdempotencyStore(this.redis, this.keyPrefix, ExpiredLeasePolicy.TAKE_OVER, null);
        try (RedisConnection connection = this.redis.getConnection()) {
            connection.ping();
        }
    }

    @Override
    protected void cleanUpStore() {
        if (this.redis != null) {
            RedisTestServer.deleteKeys(this.redis, this.keyPrefix);
            this.redis.destroy();
        }
    }
}
