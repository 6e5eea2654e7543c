package io.github.idempotency.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.IdempotencyStoreUnavailableException;
import io.github.idempotency.Idempotent;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyMethodAutoConfiguration;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On PostgreSQL, an {@code @Idempotent} bean method whose claim and record join a transaction: the
 * caller's ({@code @Transactional}) or one the engine begins ({@code transactional = true}). The consumer's
 * own write and its de-duplication record commit together, or roll back together.
 */
class PostgresTransactionalMethodIT {

    private static HikariDataSource dataSource;

    private static String recordTable;

    private static String ledgerTable;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(IdempotencyAutoConfiguration.class, IdempotencyMethodAutoConfiguration.class))
            .withUserConfiguration(LedgerConfiguration.class)
            .withPropertyValues(
                    "idempotency.store.type=jdbc",
                    "idempotency.jdbc.initialize-schema=always",
                    "idempotency.jdbc.table-name=" + recordTable,
                    "idempotency.store.timeout=10s",
                    "test.ledger-table=" + ledgerTable);

    @BeforeAll
    static void createTables() {
        dataSource = PostgresTestDatabase.createDataSource(8);
        recordTable = PostgresTestDatabase.uniqueName("idempotency_tx_method");
        ledgerTable = PostgresTestDatabase.uniqueName("ledger");
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

    @Test
    void joinedTransactionCommitsTheWriteAndTheRecordTogether() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            String eventId = UUID.randomUUID().toString();

            ledger.credit(eventId, 100, false);
            ledger.credit(eventId, 100, false);

            assertThat(ledgerRows(eventId)).isEqualTo(1);
            assertThat(recordStatus(eventId)).containsExactly("COMPLETED");
            assertThat(ledger.runs()).isEqualTo(1);
        });
    }

    @Test
    void joinedTransactionThatFailsRollsBackTheWriteAndTheClaimSoARedeliveryRunsAtOnce() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            String eventId = UUID.randomUUID().toString();

            assertThatIllegalStateException().isThrownBy(() -> ledger.credit(eventId, 100, true));

            assertThat(ledgerRows(eventId)).isZero();
            assertThat(recordStatus(eventId)).isEmpty();
            ledger.credit(eventId, 100, false);
            assertThat(ledgerRows(eventId)).isEqualTo(1);
            assertThat(recordStatus(eventId)).containsExactly("COMPLETED");
        });
    }

    @Test
    void callerRollingBackAfterTheMethodReturnedDropsTheWriteAndTheRecord() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            TransactionTemplate transaction =
                    new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            String eventId = UUID.randomUUID().toString();

            transaction.executeWithoutResult((status) -> {
                ledger.credit(eventId, 100, false);
                status.setRollbackOnly();
            });

            assertThat(ledgerRows(eventId)).isZero();
            assertThat(recordStatus(eventId)).isEmpty();
            ledger.credit(eventId, 100, false);
            assertThat(ledgerRows(eventId)).isEqualTo(1);
        });
    }

    @Test
    void joinedClaimStaysInvisibleToOthersUntilTheTransactionCommits() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            String eventId = UUID.randomUUID().toString();
            AtomicInteger visibleDuringTheCall = new AtomicInteger(-1);
            ledger.duringCall(() -> visibleDuringTheCall.set(
                    CompletableFuture.supplyAsync(() -> recordStatus(eventId).size())
                            .join()));

            ledger.credit(eventId, 100, false);

            assertThat(visibleDuringTheCall).hasValue(0);
            assertThat(recordStatus(eventId)).containsExactly("COMPLETED");
        });
    }

    @Test
    void duplicateWhileTheFirstTransactionIsOpenWaitsForItThenGetsItsOutcomeWithoutRunning() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            String eventId = UUID.randomUUID().toString();
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> first = creditHeldOpen(ledger, eventId, release);

            CompletableFuture<Long> duplicate = CompletableFuture.supplyAsync(() -> ledger.credit(eventId, 100, false));
            awaitWaitingForALock(duplicate);
            release.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(100);
            assertThat(duplicate.get(30, TimeUnit.SECONDS)).isEqualTo(100);
            assertThat(ledger.runs()).isEqualTo(1);
            assertThat(ledgerRows(eventId)).isEqualTo(1);
        });
    }

    // FAIL_OPEN too: the duplicate is not an outage to run through, and its transaction is aborted anyway.
    @ParameterizedTest
    @ValueSource(strings = {"FAIL_CLOSED", "FAIL_OPEN"})
    void duplicateWaitingOnTheFirstTransactionLongerThanTheStoreTimeoutFailsAsStoreUnavailableWithoutRunning(
            String failureMode) {
        this.contextRunner
                .withPropertyValues("idempotency.store.timeout=1s", "idempotency.store.failure-mode=" + failureMode)
                .run((context) -> {
                    Ledger ledger = context.getBean(Ledger.class);
                    String eventId = UUID.randomUUID().toString();
                    CountDownLatch release = new CountDownLatch(1);
                    CompletableFuture<Long> first = creditHeldOpen(ledger, eventId, release);

                    // The claim's statement waits on the first transaction's row until its timeout cancels it, which
                    // also aborts the duplicate's own transaction: a redelivery is the way on.
                    assertThatExceptionOfType(IdempotencyStoreUnavailableException.class)
                            .isThrownBy(() -> ledger.credit(eventId, 100, false));
                    release.countDown();

                    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(100);
                    assertThat(ledger.credit(eventId, 100, false)).isEqualTo(100);
                    assertThat(ledger.runs()).isEqualTo(1);
                    assertThat(ledgerRows(eventId)).isEqualTo(1);
                });
    }

    @Test
    void ownTransactionCommitsTheWriteAndTheRecordTogetherOrNeither() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            String committed = UUID.randomUUID().toString();
            String failed = UUID.randomUUID().toString();

            ledger.creditInOwnTransaction(committed, false);
            ledger.creditInOwnTransaction(committed, false);
            assertThatIllegalStateException().isThrownBy(() -> ledger.creditInOwnTransaction(failed, true));

            assertThat(ledgerRows(committed)).isEqualTo(1);
            assertThat(recordStatus(committed)).containsExactly("COMPLETED");
            assertThat(ledgerRows(failed)).isZero();
            assertThat(recordStatus(failed)).isEmpty();
        });
    }

    @Test
    void ownTransactionMarkedRollbackOnlyByCaughtInnerFailureRecordsNothingAndThrows() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            String eventId = UUID.randomUUID().toString();

            assertThatIllegalStateException()
                    .isThrownBy(() -> ledger.creditSwallowingAFailedInnerWrite(eventId))
                    .withMessageContaining("rollback-only");

            assertThat(ledgerRows(eventId)).isZero();
            assertThat(recordStatus(eventId)).isEmpty();
        });
    }

    private static int ledgerRows(String eventId) {
        Integer rows = new JdbcTemplate(dataSource)
                .queryForObject("SELECT count(*) FROM " + ledgerTable + " WHERE event_id = ?", Integer.class, eventId);
        return (rows != null) ? rows : 0;
    }

    private static List<String> recordStatus(String eventId) {
        return new JdbcTemplate(dataSource)
                .queryForList(
                        "SELECT status FROM " + recordTable + " WHERE idempotency_key = ?", String.class, eventId);
    }

    private static void awaitWaitingForALock(CompletableFuture<?> call) {
        JdbcTemplate monitor = new JdbcTemplate(dataSource);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    assertThat(call).isNotDone();
                    Integer waiting = monitor.queryForObject(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
                            Integer.class,
                            "%" + recordTable + "%");
                    return waiting != null && waiting > 0;
                });
    }

    /**
     * Starts a credit on another thread that holds its transaction open, its claim and write made, until
     * {@code release} opens; returns once it is there.
     */
    private static CompletableFuture<Long> creditHeldOpen(Ledger ledger, String eventId, CountDownLatch release) {
        CountDownLatch entered = new CountDownLatch(1);
        ledger.duringCall(() -> {
            entered.countDown();
            awaitLatch(release);
        });
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> ledger.credit(eventId, 100, false));
        awaitLatch(entered);
        ledger.duringCall(() -> {});
        return first;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Latch not released in time");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
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
        InnerWriter innerWriter() {
            return new InnerWriter();
        }

        @Bean
        Ledger ledger(
                DataSource dataSource, org.springframework.core.env.Environment environment, InnerWriter innerWriter) {
            return new Ledger(
                    new JdbcTemplate(dataSource), environment.getRequiredProperty("test.ledger-table"), innerWriter);
        }
    }

    /**
     * Transactional work that fails, marking the transaction it joins rollback-only.
     */
    public static class InnerWriter {

        @Transactional
        public void failInside() {
            throw new IllegalStateException("inner write failed");
        }
    }

    /**
     * A consumer that writes one ledger row per event, as an at-least-once message listener would.
     */
    public static class Ledger {

        private final AtomicInteger runs = new AtomicInteger();

        private volatile Runnable duringCall = () -> {};

        private final JdbcTemplate jdbc;

        private final String table;

        private final InnerWriter inner;

        Ledger(JdbcTemplate jdbc, String table, InnerWriter inner) {
            this.jdbc = jdbc;
            this.table = table;
            this.inner = inner;
        }

        @Idempotent(key = "#eventId", transactional = true)
        public long creditSwallowingAFailedInnerWrite(String eventId) {
            write(eventId, 100, false);
            try {
                this.inner.failInside();
            } catch (IllegalStateException ex) {
                // Swallowed, as careless code does: the transaction is rollback-only all the same.
            }
            return 100;
        }

        @Transactional
        @Idempotent(key = "#eventId")
        public long credit(String eventId, long amount, boolean failAfterWriting) {
            return write(eventId, amount, failAfterWriting);
        }

        @Idempotent(key = "#eventId", transactional = true)
        public long creditInOwnTransaction(String eventId, boolean failAfterWriting) {
            return write(eventId, 100, failAfterWriting);
        }

        /** How often a ledger row was written, committed or not. */
        public int runs() {
            return this.runs.get();
        }

        /** Runs in every call after its row is written, inside its transaction. */
        public void duringCall(Runnable action) {
            this.duringCall = action;
        }

        private long write(String eventId, long amount, boolean failAfterWriting) {
            this.runs.incrementAndGet();
            this.jdbc.update("INSERT INTO " + this.table + " (event_id, amount) VALUES (?, ?)", eventId, amount);
            this.duringCall.run();
            if (failAfterWriting) {
                throw new IllegalStateException("Failed after writing the ledger row");
            }
            return amount;
        }
    }
}
