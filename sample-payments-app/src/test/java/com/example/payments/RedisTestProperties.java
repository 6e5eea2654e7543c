package com.example.payments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration.WithDatabaseIndex;
import org.springframework.data.redis.connection.RedisConfiguration.WithHostAndPort;
import org.springframework.data.redis.connection.RedisConfiguration.WithPassword;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points the app's {@code spring.data.redis.*} at a Redis server that the starter's test support found or
 * started.
 */
final class RedisTestProperties {

    private static final String HOST = "spring.data.redis.host";

    private static final String PORT = "spring.data.redis.port";

    private static final String PASSWORD = "spring.data.redis.password";

    private static final String DATABASE = "spring.data.redis.database";

    private RedisTestProperties() {}

    /**
     * Registers the server's host, port, password and database.
     * @param registry the test's dynamic properties
     * @param server the server, asked when the app starts
     */
    static void register(DynamicPropertyRegistry registry, Supplier<? extends RedisConfiguration> server) {
        for (String name : List.of(HOST, PORT, PASSWORD, DATABASE)) {
            registry.add(name, () -> properties(server.get()).get(name));
        }
    }

    /**
     * Returns the server's host, port, password and database as properties.
     * @param server the server
     * @return the values by property name, without a password when the server has none (the profile's
     * default then applies)
     */
    static Map<String, Object> properties(RedisConfiguration server) {
        Map<String, Object> properties = new HashMap<>();
        WithHostAndPort hostAndPort = (WithHostAndPort) server;
        properties.put(HOST, hostAndPort.getHostName());
        properties.put(PORT, hostAndPort.getPort());
        if (server instanceof WithPassword withPassword
                && withPassword.getPassword().isPresent()) {
            properties.put(PASSWORD, new String(withPassword.getPassword().get()));
        }
        properties.put(DATABASE, (server instanceof WithDatabaseIndex withDatabase) ? withDatabase.getDatabase() : 0);
        return properties;
    }
}
