package com.example.payments;

import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The end-to-end suite against the {@code postgres} profile: payments and idempotency keys in PostgreSQL, in
 * a schema of this run's own ({@link PostgresTestSchema}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.gateway.latency=1s")
@ActiveProfiles("postgres")
@ContextConfiguration(initializers = PostgresTestSchema.class)
@DirtiesContext
class PostgresPaymentsEndToEndIT extends PaymentsEndToEndIT {

    @LocalServerPort
    private int port;

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
