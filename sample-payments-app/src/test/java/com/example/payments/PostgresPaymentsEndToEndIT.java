package com.example.payments;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The end-to-end suite against the {@code postgres} profile: payments and idempotency keys in PostgreSQL
 * (see {@link TestPostgres}), in a schema of this run's own, so that concurrent runs on one server do not
 * see each other's tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.gateway.latency=1s")
@ActiveProfiles("postgres")
class PostgresPaymentsEndToEndIT extends PaymentsEndToEndIT {

    private static final String SCHEMA =
            "sample_payments_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static TestPostgres postgres;

    @LocalServerPort
    private int port;

    // Before the application context starts, so that a missing server fails with TestPostgres's message.
    @BeforeAll
    static void findServer() {
        postgres = TestPostgres.get();
    }

    @DynamicPropertySource
    static void postgresProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres.urlWithCurrentSchema(SCHEMA));
        registry.add("spring.datasource.username", () -> postgres.username());
        registry.add("spring.datasource.password", () -> postgres.password());
        // Flyway creates the schema, and keeps its history there.
        registry.add("spring.flyway.schemas", () -> SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (postgres != null) {
            postgres.dropSchema(SCHEMA);
        }
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
