package io.github.idempotency.store.redis;

import io.github.idempotency.testsupport.RedisTestServer;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * {@link RedisIdempotencyStoreIT} on Jedis, the other client of Spring Data Redis, pooled as Spring Boot
 * configures it: the store works on either, and {@code docs/benchmarks.md} measures both.
 */
class JedisRedisIdempotencyStoreIT extends RedisIdempotencyStoreIT {

    @BeforeAll
    static void connect() {
        JedisClientConfiguration client = JedisClientConfiguration.builder()
                .connectTimeout(RedisTestServer.CONNECT_TIMEOUT)
                .readTimeout(RedisTestServer.COMMAND_TIMEOUT)
                .usePooling()
                .build();
        JedisConnectionFactory factory = new JedisConnectionFactory(RedisTestServer.standaloneConfiguration(), client);
        factory.afterPropertiesSet();
        factory.start();
        connect(factory);
    }
}
