package com.example.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.store.redis.RedisIdempotencyStore;
import io.github.idempotency.testsupport.RedisTestServer;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The end-to-end suite against the {@code redis} profile: idempotency keys in the test Redis (found by
 * {@link RedisTestServer}) under a key prefix of this run's own, payments in the embedded H2 database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.gateway.latency=1s")
@ActiveProfiles("redis")
class RedisPaymentsEndToEndIT extends PaymentsEndToEndIT {

    private static final String KEY_PREFIX = "sample-payments-e2e-" + UUID.randomUUID() + ":";

    private static RedisConfiguration redis;

    @LocalServerPort
    private int port;

    @Autowired
    private IdempotencyStore store;

    // Before the application context starts, so that a missing server fails with RedisTestServer's message
    // rather than as a context that failed to load.
    @BeforeAll
    static void findServer() {
        redis = RedisTestServer.configuration();
    }

    @DynamicPropertySource
    static void redisProperties(DynamicPropertyRegistry registry) {
        RedisTestProperties.register(registry, () -> redis);
        registry.add("idempotency.redis.key-prefix", () -> KEY_PREFIX);
    }

    @AfterAll
    static void deleteKeys() {
        if (redis == null) {
            return;
        }
        LettuceConnectionFactory connectionFactory = RedisTestServer.connectionFactory(redis);
        try {
            RedisTestServer.deleteKeys(connectionFactory, KEY_PREFIX);
        } finally {
            connectionFactory.destroy();
        }
    }

    @Test
    void idempotencyKeysAreKeptInRedis() {
        assertThat(this.store).isInstanceOf(RedisIdempotencyStore.class);
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
