package io.github.idempotency.store.redis;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.engine.IdempotencyEngineObservationContractTests;
import io.github.idempotency.testsupport.RedisTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis store's metrics against a real Redis; unavailable where no server listens (connection refused),
 * and failing on a key that holds something other than a record (Redis answers {@code WRONGTYPE}).
 */
class RedisEngineObservationIT extends IdempotencyEngineObservationContractTests {

    private static final String KEY_PREFIX = "idempotency-test:" + UUID.randomUUID() + ":";

    private static LettuceConnectionFactory connectionFactory;

    private LettuceConnectionFactory nowhere;

    @BeforeAll
    static void connect() {
        connectionFactory = RedisTestServer.connectionFactory();
    }

    @AfterAll
    static void disconnect() {
        RedisTestServer.deleteKeys(connectionFactory, KEY_PREFIX);
        connectionFactory.destroy();
    }

    @AfterEach
    void destroyUnavailable() {
        if (this.nowhere != null) {
            this.nowhere.destroy();
        }
    }

    @Override
    protected IdempotencyStore createStore() {
        return new RedisIdempotencyStore(connectionFactory, KEY_PREFIX, ExpiredLeasePolicy.TAKE_OVER, Duration.ZERO);
    }

    @Override
    protected IdempotencyStore createUnavailableStore() {
        // Port 1 is reserved and nothing listens on it: every connection is refused at once.
        this.nowhere = RedisTestServer.connectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
        return new RedisIdempotencyStore(this.nowhere, KEY_PREFIX, ExpiredLeasePolicy.TAKE_OVER, Duration.ZERO);
    }

    @Override
    protected void breakStore(IdempotencyKey key) {
        String redisKey = new String(((RedisIdempotencyStore) store()).redisKey(key), StandardCharsets.UTF_8);
        StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
        redis.delete(redisKey);
        redis.opsForHash().put(redisKey, "not", "a record");
    }

    @Override
    protected String storeName() {
        return "redis";
    }
}
