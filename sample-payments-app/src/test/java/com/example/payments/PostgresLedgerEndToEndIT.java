package com.example.payments;

import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The ledger end to end on the {@code postgres} profile: payments, outbox, ledger and idempotency keys in
 * one PostgreSQL schema ({@link PostgresTestSchema}), so that the consumer's claim, entry, balance and
 * record commit together; events delivered in process.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = LedgerEndToEndIT.COPIES_PROPERTY)
@ActiveProfiles("postgres")
@ContextConfiguration(initializers = PostgresTestSchema.class)
@DirtiesContext
class PostgresLedgerEndToEndIT extends LedgerEndToEndIT {

    @LocalServerPort
    private int port;

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
