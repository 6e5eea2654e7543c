package io.github.idempotency.aop;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.Idempotent;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyMethodAutoConfiguration;
import io.github.idempotency.testsupport.H2TestDatabase;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The JDBC store on one database with its transaction manager, the consumer's transaction on another
 * database with another: the claim cannot join that
 * transaction, so the method runs under a lease, even once the store's database has been used inside the
 * transaction (which leaves a connection of it bound to the thread, in auto-commit, for the transaction's
 * length).
 */
class LeaseWithAnotherTransactionManagerTests {

    private HikariDataSource storeDatabase;

    private HikariDataSource ledgerDatabase;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(IdempotencyAutoConfiguration.class, IdempotencyMethodAutoConfiguration.class))
            .withUserConfiguration(TwoDatabases.class)
            .withPropertyValues("idempotency.store.type=jdbc", "idempotency.jdbc.initialize-schema=always")
            .withBean("storeDatabase", DataSource.class, () -> this.storeDatabase, (definition) -> {
                definition.setPrimary(true);
                definition.setDestroyMethodName("");
            })
            .withBean(
                    "ledgerDatabase",
                    DataSource.class,
                    () -> this.ledgerDatabase,
                    (definition) -> definition.setDestroyMethodName(""));

    @BeforeEach
    void createDatabases() {
        this.storeDatabase = H2TestDatabase.createDataSource(4);
        this.ledgerDatabase = H2TestDatabase.createDataSource(4);
        new JdbcTemplate(this.ledgerDatabase).execute("CREATE TABLE ledger (event_id VARCHAR(64) NOT NULL)");
    }

    @AfterEach
    void closeDatabases() {
        this.storeDatabase.close();
        this.ledgerDatabase.close();
    }

    @Test
    void rollbackOfTheOtherDatabasesTransactionLeavesNoRecordThoughTheStoresDatabaseWasUsedInIt() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            TransactionTemplate transaction =
                    new TransactionTemplate(context.getBean("ledgerTransactions", PlatformTransactionManager.class));
            String eventId = UUID.randomUUID().toString();

            transaction.executeWithoutResult((status) -> {
                new JdbcTemplate(this.storeDatabase).queryForObject("SELECT 1", Integer.class);
                ledger.credit(eventId);
                status.setRollbackOnly();
            });
            ledger.credit(eventId);
            ledger.credit(eventId);

            // Recorded at once, as if joined, the rolled-back credit would have been replayed forever.
            assertThat(ledger.runs()).isEqualTo(2);
            assertThat(new JdbcTemplate(this.ledgerDatabase)
                            .queryForObject("SELECT count(*) FROM ledger WHERE event_id = ?", Integer.class, eventId))
                    .isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class TwoDatabases {

        @Bean
        @Primary
        PlatformTransactionManager storeTransactions(@Qualifier("storeDatabase") DataSource storeDatabase) {
            return new DataSourceTransactionManager(storeDatabase);
        }

        @Bean
        PlatformTransactionManager ledgerTransactions(@Qualifier("ledgerDatabase") DataSource ledgerDatabase) {
            return new DataSourceTransactionManager(ledgerDatabase);
        }

        @Bean
        Ledger ledger(@Qualifier("ledgerDatabase") DataSource ledgerDatabase) {
            return new Ledger(new JdbcTemplate(ledgerDatabase));
        }
    }

    /**
     * A consumer whose writes and transactions are on the ledger's database.
     */
    public static class Ledger {

        private final AtomicInteger runs = new AtomicInteger();

        private final JdbcTemplate jdbc;

        Ledger(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional("ledgerTransactions")
        @Idempotent(key = "#eventId")
        public void credit(String eventId) {
            this.runs.incrementAndGet();
            this.jdbc.update("INSERT INTO ledger (event_id) VALUES (?)", eventId);
        }

        int runs() {
            return this.runs.get();
        }
    }
}
