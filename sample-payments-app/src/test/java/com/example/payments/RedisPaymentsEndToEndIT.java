package com.example.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.store.redis.RedisIdempotencyStore;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The end-to-end suite against the {@code redis} profile: idempotency keys in the test Redis under a key
 * prefix of this run's own ({@link RedisTestKeys}), payments in the embedded H2 database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.gateway.latency=1s")
@ActiveProfiles("redis")
@ContextConfiguration(initializers = RedisTestKeys.class)
@DirtiesContext
class RedisPaymentsEndToEndIT extends PaymentsEndToEndIT {

    @LocalServerPort
    private int port;

    @Autowired
    private IdempotencyStore store;

    @Test
    void idempotencyKeysAreKeptInRedis() {
        assertThat(this.store).isInstanceOf(RedisIdempotencyStore.class);
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
