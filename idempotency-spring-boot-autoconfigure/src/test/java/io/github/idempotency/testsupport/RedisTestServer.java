package io.github.idempotency.testsupport;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Redis server the integration tests run against, found once per JVM by trying, in order:
 *
 * <ol>
 * <li>the server whose URL is in the environment variable {@value #URL_VARIABLE} (CI sets it), in the
 * database the URL names (0 by default);</li>
 * <li>a server on {@code 127.0.0.1:6379} without a password, in database 11, so that the tests' keys stay out
 * of the database 0 that other programs use by default; skipped when {@value #LOCAL_VARIABLE} is
 * {@code false};</li>
 * <li>a Testcontainers container of {@link TestImages#REDIS}, where a Docker engine runs;</li>
 * <li>a {@code redis-server} that the test JVM starts from the {@code PATH} on a free port (the outage tests
 * need one there anyway), stopped when the JVM ends.</li>
 * </ol>
 *
 * <p>When none of them provides a server, tests fail with a message that says what was tried and why each
 * source was not used. Each test class keeps its keys under a prefix of its own and deletes them when done.
 */
public final class RedisTestServer {

    /** Environment variable with the URL of the test Redis, for example {@code redis://127.0.0.1:6379}. */
    public static final String URL_VARIABLE = "IDEMPOTENCY_TEST_REDIS_URL";

    /** Environment variable that, set to {@code false}, keeps the tests off a server on the local port. */
    public static final String LOCAL_VARIABLE = "IDEMPOTENCY_TEST_REDIS_LOCAL";

    /** Bound on connecting, so a test against an unreachable server fails fast. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** Bound on every command, so a test against a stopped server fails fast rather than hangs. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private static final int REDIS_PORT = 6379;

    private static final OnFirstUse<RedisConfiguration> found = new OnFirstUse<>(() -> resolve(
            System.getenv(),
            LocalRedisServer::configuration,
            RedisTestServer::startContainer,
            RedisTestServer::startProcess));

    private RedisTestServer() {}

    /**
     * Returns where the test Redis is, finding it on first use (and starting it, when it is a container or a
     * process of the test JVM's own).
     * @return the server's configuration
     * @throws IllegalStateException when no source provides a server, naming each source and why
     */
    public static RedisConfiguration configuration() {
        return found.get();
    }

    /**
     * Returns where the test Redis is, for tests that need a single server's host and port.
     * @return the server's configuration
     * @throws IllegalStateException when no source provides a server, or {@value #URL_VARIABLE} names a
     * Sentinel or a cluster
     */
    public static RedisStandaloneConfiguration standaloneConfiguration() {
        if (!(configuration() instanceof RedisStandaloneConfiguration server)) {
            throw new IllegalStateException(
                    "These tests need a single Redis server, while " + URL_VARIABLE + " names a Sentinel or a cluster");
        }
        return server;
    }

    /**
     * Returns the test Redis as a URL with its credentials and database, for clients configured by URL, such
     * as {@code spring.data.redis.url}.
     * @return the URL, such as {@code redis://127.0.0.1:6379/11}
     * @throws IllegalStateException when no source provides a server, or {@value #URL_VARIABLE} names a
     * Sentinel or a cluster
     */
    public static String url() {
        return url(standaloneConfiguration());
    }

    /**
     * Returns a server as a URL with its credentials and database.
     * @param server the server
     * @return the URL
     */
    static String url(RedisStandaloneConfiguration server) {
        String credentials = "";
        if (server.getPassword().isPresent()) {
            String username = (server.getUsername() != null) ? encode(server.getUsername()) : "";
            credentials =
                    username + ":" + encode(new String(server.getPassword().get())) + "@";
        }
        return "redis://" + credentials + server.getHostName() + ":" + server.getPort() + "/" + server.getDatabase();
    }

    /**
     * Finds the server: the first of the sources, in the order of this class's description, that provides
     * one. Later sources are not asked.
     * @param environment the environment variables
     * @param localServer the server on the usual local port
     * @param container a container
     * @param process a server process of the test JVM's own
     * @return the server's configuration
     * @throws IllegalStateException when no source provides a server, naming each source and why
     */
    static RedisConfiguration resolve(
            Map<String, String> environment,
            ServiceSource<RedisConfiguration> localServer,
            ServiceSource<RedisConfiguration> container,
            ServiceSource<RedisConfiguration> process) {
        ServiceSource<RedisConfiguration> variable = () -> LettuceConnectionFactory.createRedisConfiguration(
                ServiceSource.requireVariable(environment, URL_VARIABLE));
        return new TestServiceResolver<RedisConfiguration>("Redis")
                .thenTry(URL_VARIABLE, variable)
                .thenTry(
                        "local server on " + LocalServerProbe.HOST + ":" + LocalRedisServer.PORT + " (database "
                                + LocalRedisServer.DATABASE + ")",
                        localServer.unlessSwitchedOff(environment, LOCAL_VARIABLE))
                .thenTry("Testcontainers (" + TestImages.REDIS + ")", container)
                .thenTry("redis-server on the PATH, started by the tests", process)
                .resolve("Set " + URL_VARIABLE + " to a server's URL (for example redis://127.0.0.1:6379), or start"
                        + " one of the sources above (for example 'apt-get install redis-server').");
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
    public static void deleteKeys(RedisConnectionFactory factory, String keyPrefix) {
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

    private static RedisConfiguration startContainer() throws SourceUnavailableException {
        GenericContainer<?> redis = DockerContainers.start(
                () -> new GenericContainer<>(DockerImageName.parse(TestImages.REDIS)).withExposedPorts(REDIS_PORT));
        return new RedisStandaloneConfiguration(redis.getHost(), redis.getMappedPort(REDIS_PORT));
    }

    private static RedisConfiguration startProcess() throws SourceUnavailableException {
        RedisServerProcess process;
        try {
            process = RedisServerProcess.start();
        } catch (IllegalStateException ex) {
            String reason = (ex.getCause() instanceof IOException notRun)
                    ? "cannot run it (" + notRun.getMessage() + ")"
                    : ex.getMessage();
            throw new SourceUnavailableException(reason, ex);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "redis-test-server-stopper"));
        return process.configuration();
    }

    private static String encode(String userInfo) {
        return URLEncoder.encode(userInfo, StandardCharsets.UTF_8);
    }
}
