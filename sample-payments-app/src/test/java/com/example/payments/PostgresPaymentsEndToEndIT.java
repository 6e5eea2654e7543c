package com.example.payments;

import io.github.idempotency.testsupport.PostgresTestDatabase;
import io.github.idempotency.testsupport.PostgresTestDatabase.ConnectionDetails;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The end-to-end suite against the {@code postgres} profile: payments and idempotency keys in PostgreSQL
 * (found by {@link PostgresTestDatabase}), in a schema of this run's own, so that concurrent runs on one
 * server do not see each other's tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.gateway.latency=1s")
@ActiveProfiles("postgres")
class PostgresPaymentsEndToEndIT extends PaymentsEndToEndIT {

    private static final String SCHEMA = PostgresTestDatabase.uniqueName("sample_payments");

    private static ConnectionDetails postgres;

    @LocalServerPort
    private int port;

    // Before the application context starts, so that a missing server fails with PostgresTestDatabase's
    // message rather than as a context that failed to load.
    @BeforeAll
    static void findServer() {
        postgres = PostgresTestDatabase.connectionDetails();
    }

    @DynamicPropertySource
    static void postgresProperties(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.datasource.url",
                () -> postgres.url() + (postgres.url().contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
        // Unset credentials fall through to the profile's defaults.
        registry.add("spring.datasource.username", () -> postgres.username());
        registry.add("spring.datasource.password", () -> postgres.password());
        // Flyway creates the schema, and keeps its history there.
        registry.add("spring.flyway.schemas", () -> SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (postgres == null) {
            return;
        }
        try (Connection connection =
                        DriverManager.getConnection(postgres.url(), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
