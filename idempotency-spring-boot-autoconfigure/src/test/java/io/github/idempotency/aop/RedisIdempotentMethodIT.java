package io.github.idempotency.aop;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.store.redis.RedisIdempotencyStore;
import io.github.idempotency.testsupport.RedisTestServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link IdempotentMethodContractTests} on the {@link RedisIdempotencyStore} in a real Redis, under a key
 * prefix of its own.
 */
class RedisIdempotentMethodIT extends IdempotentMethodContractTests {

    private static final String KEY_PREFIX = "idempotency-method-test:" + UUID.randomUUID() + ":";

    private static LettuceConnectionFactory connectionFactory;

    private static IdempotencyStore store;

    @BeforeAll
    static void connect() {
        connectionFactory = RedisTestServer.connectionFactory();
        store = new RedisIdempotencyStore(
                connectionFactory, KEY_PREFIX, ExpiredLeasePolicy.TAKE_OVER, Duration.ofHours(1));
    }

    @AfterAll
    static void disconnect() {
        if (connectionFactory != null) {
            RedisTestServer.deleteKeys(connectionFactory, KEY_PREFIX);
            connectionFactory.destroy();
        }
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }
}
