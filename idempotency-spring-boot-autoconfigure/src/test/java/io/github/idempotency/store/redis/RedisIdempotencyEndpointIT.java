package io.github.idempotency.store.redis;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.actuate.IdempotencyEndpointContractTests;
import io.github.idempotency.testsupport.RedisTestServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link IdempotencyEndpointContractTests} on the Redis store against a real Redis.
 */
class RedisIdempotencyEndpointIT extends IdempotencyEndpointContractTests {

    private static final String KEY_PREFIX = "idempotency-test:" + UUID.randomUUID() + ":";

    private static LettuceConnectionFactory connectionFactory;

    @BeforeAll
    static void connect() {
        connectionFactory = RedisTestServer.connectionFactory();
    }

    @AfterAll
    static void disconnect() {
        RedisTestServer.deleteKeys(connectionFactory, KEY_PREFIX);
        connectionFactory.destroy();
    }

    @Override
    protected IdempotencyStore createStore(ExpiredLeasePolicy expiredLeasePolicy) {
        return new RedisIdempotencyStore(connectionFactory, KEY_PREFIX, expiredLeasePolicy, Duration.ofHours(1));
    }
}
