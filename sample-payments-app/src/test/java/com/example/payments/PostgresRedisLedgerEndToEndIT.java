package com.example.payments;

import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The ledger end to end on the {@code postgres} and {@code redis} profiles: payments, outbox and ledger in
 * PostgreSQL ({@link PostgresTestSchema}), the consumer's idempotency keys in Redis ({@link RedisTestKeys}).
 * The key's record is written after the ledger's transaction commits, so a copy that comes while another is
 * being consumed is told so, and delivered again later.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = LedgerEndToEndIT.COPIES_PROPERTY)
@ActiveProfiles({"postgres", "redis"})
@ContextConfiguration(initializers = {PostgresTestSchema.class, RedisTestKeys.class})
@DirtiesContext
class PostgresRedisLedgerEndToEndIT extends LedgerEndToEndIT {

    @LocalServerPort
    private int port;

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
