package io.github.idempotency.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The PostgreSQL server integration tests run against: the one named by environment variables when they are
 * set, otherwise a Testcontainers container started once per JVM. Without either, tests fail and say how to
 * provide one; they never skip, since a skipped test proves nothing about the store.
 *
 * <ul>
 * <li>{@value #URL_VARIABLE}: a JDBC URL, such as {@code jdbc:postgresql://127.0.0.1:5432/test};</li>
 * <li>{@value #USERNAME_VARIABLE} and {@value #PASSWORD_VARIABLE}: the credentials, both optional.</li>
 * </ul>
 *
 * <p>The server may be shared with other test runs at the same time, so each test class works in tables of
 * its own, named with {@link #uniqueName(String)}, and drops them when it is done.
 */
public final class PostgresTestDatabase {

    /** Environment variable holding the JDBC URL of the server to use instead of a container. */
    public static final String URL_VARIABLE = "IDEMPOTENCY_TEST_POSTGRES_URL";

    /** Environment variable holding the user name for {@link #URL_VARIABLE}. */
    public static final String USERNAME_VARIABLE = "IDEMPOTENCY_TEST_POSTGRES_USERNAME";

    /** Environment variable holding the password for {@link #URL_VARIABLE}. */
    public static final String PASSWORD_VARIABLE = "IDEMPOTENCY_TEST_POSTGRES_PASSWORD";

    private static ConnectionDetails connectionDetails;

    private PostgresTestDatabase() {}

    /**
     * Returns how to reach the server, starting the container on first use when no server is configured.
     * @return the connection details
     * @throws IllegalStateException if no server is configured and no Docker engine is available
     */
    public static synchronized ConnectionDetails connectionDetails() {
        if (connectionDetails == null) {
            connectionDetails = resolve();
        }
        return connectionDetails;
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

    private static ConnectionDetails resolve() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return new ConnectionDetails(url, System.getenv(USERNAME_VARIABLE), System.getenv(PASSWORD_VARIABLE));
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("These tests need PostgreSQL. Set " + URL_VARIABLE
                    + " to the JDBC URL of a server (e.g. jdbc:postgresql://127.0.0.1:5432/test) and "
                    + USERNAME_VARIABLE + " / " + PASSWORD_VARIABLE + " to its credentials,"
                    + " or run a Docker engine so that Testcontainers can start " + TestImages.POSTGRES + ".");
        }
        // Never stopped here: Testcontainers removes it when the JVM exits.
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(TestImages.POSTGRES));
        container.start();
        return new ConnectionDetails(container.getJdbcUrl(), container.getUsername(), container.getPassword());
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
