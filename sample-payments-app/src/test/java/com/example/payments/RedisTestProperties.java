package com.example.payments;

import java.util.function.Supplier;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration.WithDatabaseIndex;
import org.springframework.data.redis.connection.RedisConfiguration.WithHostAndPort;
import org.springframework.data.redis.connection.RedisConfiguration.WithPassword;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points the app's {@code spring.data.redis.*} at a Redis server that the starter's test support found or
 * started, and gives the idempotency keys of one test run a prefix of their own on it.
 */
final class RedisTestProperties {

    private RedisTestProperties() {}

    /**
     * Registers the server's host, port, password and database.
     * @param registry the test's dynamic properties
     * @param server the server, asked when the app starts
     */
    static void register(DynamicPropertyRegistry registry, Supplier<? extends RedisConfiguration> server) {
        registry.add("spring.data.redis.host", () -> ((WithHostAndPort) server.get()).getHostName());
        registry.add("spring.data.redis.port", () -> ((WithHostAndPort) server.get()).getPort());
        // Unset (null) falls through to the profile's defaults.
        registry.add(
                "spring.data.redis.password",
                () -> (server.get() instanceof WithPassword withPassword)
                        ? withPassword.getPassword().map(String::new).orElse(null)
                        : null);
        registry.add(
                "spring.data.redis.database",
                () -> (server.get() instanceof WithDatabaseIndex withDatabase) ? withDatabase.getDatabase() : 0);
    }
}
