package io.github.idempotency.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.Idempotent;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link AbstractKafkaListenerIT} with the JDBC store on PostgreSQL and a {@code @Transactional} listener
 * whose effect is a ledger row: the claim and the record join the listener's transaction, so the row and
 * the record commit together, and a copy processed at the same time waits on the uncommitted claim.
 */
class PostgresKafkaListenerIT extends AbstractKafkaListenerIT {

    private static HikariDataSource dataSource;

    private static String recordTable;

    private static String ledgerTable;

    @BeforeAll
    static void createTables() {
        dataSource = PostgresTestDatabase.createDataSource(6);
        recordTable = PostgresTestDatabase.uniqueName("idempotency_kafka");
        ledgerTable = PostgresTestDatabase.uniqueName("kafka_ledger");
        // No unique constraint on the event id: a second effect must show, not fail.
        new JdbcTemplate(dataSource)
                .execute("CREATE TABLE " + ledgerTable + " (event_id VARCHAR(64) NOT NULL, amount BIGINT NOT NULL)");
    }

    @AfterAll
    static void dropTables() {
        if (dataSource != null) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("DROP TABLE IF EXISTS " + recordTable);
            jdbc.execute("DROP TABLE IF EXISTS " + ledgerTable);
            dataSource.close();
        }
    }

    @Override
    protected ApplicationContextRunner withStoreAndListener(ApplicationContextRunner runner) {
        return runner.withUserConfiguration(LedgerConfiguration.class)
                .withPropertyValues(
                        "idempotency.store.type=jdbc",
                        "idempotency.jdbc.initialize-schema=always",
                        "idempotency.jdbc.table-name=" + recordTable,
                        "test.ledger-table=" + ledgerTable);
    }

    @Override
    protected int effects(String eventId) {
        Integer rows = new JdbcTemplate(dataSource)
                .queryForObject("SELECT count(*) FROM " + ledgerTable + " WHERE event_id = ?", Integer.class, eventId);
        return (rows != null) ? rows : 0;
    }

    @Override
    protected void assertCompleted(String eventId) {
        List<String> status = new JdbcTemplate(dataSource)
                .queryForList(
                        "SELECT status FROM " + recordTable + " WHERE idempotency_key = ?", String.class, eventId);
        assertThat(status).as("record of event %s", eventId).containsExactly("COMPLETED");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class LedgerConfiguration {

        /** The test class's pool, which outlives each context. */
        @Bean(destroyMethod = "")
        DataSource dataSource() {
            return dataSource;
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        LedgerListener ledgerListener(DataSource dataSource, Environment environment) {
            return new LedgerListener(
                    new JdbcTemplate(dataSource), environment.getRequiredProperty("test.ledger-table"));
        }
    }

    /**
     * Credits the ledger once per payment event, in the listener's transaction.
     */
    public static class LedgerListener {

        private final JdbcTemplate jdbc;

        private final String table;

        LedgerListener(JdbcTemplate jdbc, String table) {
            this.jdbc = jdbc;
            this.table = table;
        }

        @KafkaListener(id = "ledger", topics = "${test.topic}", groupId = "${test.group}")
        @Transactional
        @Idempotent(key = "#event.eventId")
        public void onPaymentEvent(PaymentEvent event) {
            this.jdbc.update(
                    "INSERT INTO " + this.table + " (event_id, amount) VALUES (?, ?)", event.eventId(), event.amount());
        }
    }
}
