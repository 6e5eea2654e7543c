package io.github.idempotency.testsupport;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Redis server the integration tests run against: the one named by the environment variable
 * {@value #URL_VARIABLE} (CI sets it to a local server), otherwise a Testcontainers container of
 * {@link TestImages#REDIS} started once per test JVM, otherwise none, and the test fails saying how to
 * provide one.
 */
public final class RedisTestServer {

    /** Environment variable with the URL of the test Redis, for example {@code redis://127.0.0.1:6379}. */
    public static final String URL_VARIABLE = "IDEMPOTENCY_TEST_REDIS_URL";

    /** Bound on connecting, so a test against an unreachable server fails fast. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** Bound on every command, so a test against a stopped server fails fast rather than hangs. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private static final int REDIS_PORT = 6379;

    private static RedisConfiguration configuration;

    private RedisTestServer() {}

    /**
     * Returns where the test Redis is, starting a container the first time if no URL is given.
     * @return the server's configuration
     * @throws IllegalStateException if there is neither a URL nor a Docker engine
     */
    public static synchronized RedisConfiguration configuration() {
        if (configuration == null) {
            configuration = locate();
        }
        return configuration;
    }

    /**
     * Creates a started connection factory to the test Redis, with bounded connect and command timeouts.
     * The caller destroys it.
     * @return the connection factory
     */
    public static LettuceConnectionFactory connectionFactory() {
        return connectionFactory(configuration());
    }

    /**
     * Creates a started connection factory to any Redis, with bounded connect and command timeouts. The
     * caller destroys it.
     * @param configuration where the server is, which may be nowhere
     * @return the connection factory
     */
    public static LettuceConnectionFactory connectionFactory(RedisConfiguration configuration) {
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(COMMAND_TIMEOUT)
                .clientOptions(ClientOptions.builder()
                        .socketOptions(SocketOptions.builder()
                                .connectTimeout(CONNECT_TIMEOUT)
                                .build())
                        .build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * Deletes every key that starts with a prefix, so that a test class leaves the shared server clean.
     * @param factory a connection to the server
     * @param keyPrefix the test class's key prefix
     */
    public static void deleteKeys(LettuceConnectionFactory factory, String keyPrefix) {
        try (RedisConnection connection = factory.getConnection()) {
            List<byte[]> keys = new ArrayList<>();
            ScanOptions options =
                    ScanOptions.scanOptions().match(keyPrefix + "*").build();
            try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
                cursor.forEachRemaining(keys::add);
            }
            if (!keys.isEmpty()) {
                connection.keyCommands().del(keys.toArray(byte[][]::new));
            }
        }
    }

    private static RedisConfiguration locate() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return LettuceConnectionFactory.createRedisConfiguration(url);
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            // Not stopped here: Testcontainers removes it when the JVM ends.
            GenericContainer<?> redis =
                    new GenericContainer<>(DockerImageName.parse(TestImages.REDIS)).withExposedPorts(REDIS_PORT);
            redis.start();
            return new RedisStandaloneConfiguration(redis.getHost(), redis.getMappedPort(REDIS_PORT));
        }
        throw new IllegalStateException("No Redis for the integration tests: set " + URL_VARIABLE
                + " to a server's URL (for example " + URL_VARIABLE + "=redis://127.0.0.1:6379 after"
                + " 'redis-server --port 6379 --save \"\" --appendonly no'), or run a Docker engine so that"
                + " Testcontainers can start " + TestImages.REDIS);
    }
}
