package com.example.payments.events;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A database of its own with the app's migrations applied, and the outbox on it, for tests of the relay
 * without an application context: an H2 database in memory, or a schema on the test PostgreSQL (found by
 * {@link PostgresTestDatabase}), dropped on {@link #close()}.
 */
final class OutboxTestDatabase implements AutoCloseable {

    final JdbcClient jdbc;

    final EventJson json = new EventJson(JsonMapper.builder().build());

    final Outbox outbox;

    final TransactionTemplate transactions;

    private final Runnable cleanUp;

    private OutboxTestDatabase(DataSource dataSource, FluentConfiguration migrations, String vendor, Runnable cleanUp) {
        migrations
                .dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                .load()
                .migrate();
        this.jdbc = JdbcClient.create(dataSource);
        this.outbox = new Outbox(this.jdbc, this.json);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.cleanUp = cleanUp;
    }

    /**
     * Creates an H2 database in memory, where every connection is a new one, so that concurrent transactions
     * really are.
     * @return the database
     */
    static OutboxTestDatabase h2() {
        DataSource dataSource =
                new DriverManagerDataSource("jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return new OutboxTestDatabase(
                dataSource,
                Flyway.configure(),
                "h2",
                () -> JdbcClient.create(dataSource).sql("SHUTDOWN").update());
    }

    /**
     * Creates a schema of its own on the test PostgreSQL.
     * @return the database
     */
    static OutboxTestDatabase postgres() {
        String schema = PostgresTestDatabase.uniqueName("outbox");
        HikariDataSource dataSource = PostgresTestDatabase.createDataSource(4);
        // Set before the pool opens its first connection: the schema that Flyway creates.
        dataSource.setSchema(schema);
        return new OutboxTestDatabase(dataSource, Flyway.configure().schemas(schema), "postgresql", () -> {
            try (dataSource) {
                JdbcClient.create(dataSource)
                        .sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE")
                        .update();
            }
        });
    }

    /**
     * Writes a payment event to the outbox, as a payment's transaction does.
     * @param owner who paid
     * @param amount how much
     * @return the event
     */
    PaymentSucceeded append(String owner, long amount) {
        PaymentSucceeded event = new PaymentSucceeded(
                UUID.randomUUID(), UUID.randomUUID(), owner, amount, "USD", Instant.parse("2026-01-01T00:00:00Z"));
        this.transactions.executeWithoutResult(status -> this.outbox.append(event));
        return event;
    }

    /**
     * Tells whether an event is marked delivered, as another connection sees it.
     * @param event the event
     * @return whether its row has a delivery time
     */
    boolean isDelivered(PaymentSucceeded event) {
        return this.jdbc
                .sql("SELECT delivered_at IS NOT NULL FROM outbox_event WHERE event_id = ?")
                .param(event.eventId())
                .query(Boolean.class)
                .single();
    }

    @Override
    public void close() {
        this.cleanUp.run();
    }
}
