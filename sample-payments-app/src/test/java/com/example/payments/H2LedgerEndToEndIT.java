package com.example.payments;

import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The ledger end to end on the default profile: H2 in memory, JDBC idempotency store, events delivered in
 * process.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = LedgerEndToEndIT.COPIES_PROPERTY)
@DirtiesContext
class H2LedgerEndToEndIT extends LedgerEndToEndIT {

    @LocalServerPort
    private int port;

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
