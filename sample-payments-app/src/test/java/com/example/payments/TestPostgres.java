package com.example.payments;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server of the tests: the one named by {@code IDEMPOTENCY_TEST_POSTGRES_URL} (with
 * {@code _USERNAME} and {@code _PASSWORD}) when set, as on CI and developer machines with a local server;
 * otherwise a Testcontainers one where a Docker engine runs.
 *
 * @param url JDBC URL of the database
 * @param username user name
 * @param password password, may be empty
 */
record TestPostgres(String url, String username, String password) {

    /** The image of the container, when one is started. */
    static final String IMAGE = "postgres:17-alpine";

    private static TestPostgres server;

    /**
     * Returns the server, starting a container on first use if needed.
     * @return the server
     * @throws IllegalStateException if no server is configured and no Docker engine runs
     */
    static synchronized TestPostgres get() {
        if (server == null) {
            server = find();
        }
        return server;
    }

    private static TestPostgres find() {
        String url = System.getenv("IDEMPOTENCY_TEST_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            return new TestPostgres(
                    url,
                    orDefault(System.getenv("IDEMPOTENCY_TEST_POSTGRES_USERNAME"), "postgres"),
                    orDefault(System.getenv("IDEMPOTENCY_TEST_POSTGRES_PASSWORD"), ""));
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("No PostgreSQL for the tests: set IDEMPOTENCY_TEST_POSTGRES_URL "
                    + "(for example jdbc:postgresql://127.0.0.1:5432/test), IDEMPOTENCY_TEST_POSTGRES_USERNAME "
                    + "and IDEMPOTENCY_TEST_POSTGRES_PASSWORD, or run a Docker engine for Testcontainers");
        }
        // Stopped by Testcontainers' reaper when the test JVM exits.
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE);
        container.start();
        return new TestPostgres(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    /**
     * Returns the URL of the database with {@code schema} as the connections' current schema.
     * @param schema the schema's name
     * @return the JDBC URL
     */
    String urlWithCurrentSchema(String schema) {
        return this.url + (this.url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /**
     * Drops a schema and everything in it, if it exists.
     * @param schema the schema's name, trusted
     * @throws SQLException if the database refuses
     */
    void dropSchema(String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(this.url, this.username, this.password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static String orDefault(String value, String fallback) {
        return (value != null) ? value : fallback;
    }
}
