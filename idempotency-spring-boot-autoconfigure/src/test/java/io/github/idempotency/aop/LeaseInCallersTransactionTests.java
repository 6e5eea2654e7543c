package io.github.idempotency.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyKeyReusedException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.Idempotent;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyMethodAutoConfiguration;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.testsupport.H2TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An {@code @Idempotent} method inside a Spring transaction that its store cannot join (here the in-memory
 * store; Redis, or JDBC on another database, alike): its claim is a lease, and its outcome is recorded only
 * once the caller's transaction has committed. Recorded when the method returned, a transaction that then
 * failed to commit would leave a record of work that never happened, which every redelivery would replay.
 */
class LeaseInCallersTransactionTests {

    private HikariDataSource dataSource;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(IdempotencyAutoConfiguration.class, IdempotencyMethodAutoConfiguration.class))
            .withUserConfiguration(LedgerConfiguration.class)
            .withPropertyValues("idempotency.store.type=memory")
            .withBean(DataSource.class, () -> this.dataSource, (definition) -> definition.setDestroyMethodName(""));

    @BeforeEach
    void createDatabase() {
        this.dataSource = H2TestDatabase.createDataSource(4);
        new JdbcTemplate(this.dataSource).execute("CREATE TABLE ledger (event_id VARCHAR(64) NOT NULL)");
    }

    @AfterEach
    void closeDatabase() {
        this.dataSource.close();
    }

    @Test
    void transactionThatFailsToCommitAfterTheMethodReturnedLeavesNoRecordSoTheRedeliveryRuns() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            String eventId = UUID.randomUUID().toString();

            assertThatExceptionOfType(UnexpectedRollbackException.class).isThrownBy(() -> ledger.credit(eventId, true));
            assertThat(rows(eventId)).isZero();
            ledger.credit(eventId, false);
            ledger.credit(eventId, false);

            assertThat(ledger.runs()).isEqualTo(2);
            assertThat(rows(eventId)).isEqualTo(1);
        });
    }

    @Test
    void outcomeIsRecordedOnlyOnceTheCallersTransactionHasCommitted() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            IdempotencyStore store = context.getBean(IdempotencyStore.class);
            TransactionTemplate transaction = transactions(context);
            String eventId = UUID.randomUUID().toString();
            AtomicReference<ClaimResult> afterTheMethodReturned = new AtomicReference<>();

            transaction.executeWithoutResult((status) -> {
                ledger.credit(eventId, false);
                afterTheMethodReturned.set(peek(store, eventId));
            });

            assertThat(afterTheMethodReturned.get()).isInstanceOf(ClaimResult.InProgress.class);
            assertThat(peek(store, eventId)).isInstanceOf(ClaimResult.Completed.class);
        });
    }

    @Test
    void sameKeyTwiceInOneTransactionRunsOnceAndTheSecondCallGetsTheFirstOutcome() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            TransactionTemplate transaction = transactions(context);
            String eventId = UUID.randomUUID().toString();

            // A batch holding a duplicate: the key is in progress, held by this transaction, until it commits.
            List<String> receipts = transaction.execute((status) ->
                    List.of(ledger.creditWithReceipt(eventId, 500), ledger.creditWithReceipt(eventId, 500)));

            assertThat(receipts).containsExactly("receipt-1", "receipt-1");
            assertThat(ledger.runs()).isEqualTo(1);
            assertThat(rows(eventId)).isEqualTo(1);
            assertThat(ledger.creditWithReceipt(eventId, 500)).isEqualTo("receipt-1");
        });
    }

    @Test
    void keyLeavesTheLogContextWhenTheCallReturnsThoughItsOutcomeWaitsForTheCommit() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            List<String> loggedBetweenCalls = new ArrayList<>();

            transactions(context).executeWithoutResult((status) -> {
                ledger.creditWithReceipt("first-" + UUID.randomUUID(), 500);
                loggedBetweenCalls.add(MDC.get(IdempotencyEngine.MDC_KEY));
                ledger.creditWithReceipt("second-" + UUID.randomUUID(), 500);
                loggedBetweenCalls.add(MDC.get(IdempotencyEngine.MDC_KEY));
            });

            assertThat(loggedBetweenCalls).containsOnlyNulls();
            // Not the first key put back by the second call's end, for good on this thread.
            assertThat(MDC.get(IdempotencyEngine.MDC_KEY)).isNull();
        });
    }

    @Test
    void sameKeyTwiceInOneTransactionThatRollsBackLeavesNothingSoTheRedeliveryRuns() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            TransactionTemplate transaction = transactions(context);
            String eventId = UUID.randomUUID().toString();

            transaction.executeWithoutResult((status) -> {
                ledger.creditWithReceipt(eventId, 500);
                ledger.creditWithReceipt(eventId, 500);
                status.setRollbackOnly();
            });

            assertThat(rows(eventId)).isZero();
            assertThat(ledger.creditWithReceipt(eventId, 500)).isEqualTo("receipt-2");
            assertThat(rows(eventId)).isEqualTo(1);
        });
    }

    @Test
    void sameKeyWithAnotherFingerprintInOneTransactionIsRefused() {
        this.contextRunner.run((context) -> {
            Ledger ledger = context.getBean(Ledger.class);
            TransactionTemplate transaction = transactions(context);
            String eventId = UUID.randomUUID().toString();

            // Refused, and, thrown through a @Transactional method, the refusal fails the whole transaction.
            assertThatExceptionOfType(UnexpectedRollbackException.class)
                    .isThrownBy(() -> transaction.executeWithoutResult((status) -> {
                        ledger.creditWithReceipt(eventId, 500);
                        assertThatExceptionOfType(IdempotencyKeyReusedException.class)
                                .isThrownBy(() -> ledger.creditWithReceipt(eventId, 700));
                    }));

            assertThat(ledger.runs()).isEqualTo(1);
            assertThat(rows(eventId)).isZero();
        });
    }

    private static TransactionTemplate transactions(ApplicationContext context) {
        return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    }

    /**
     * Looks at a key's record by claiming it: a claim of a key in progress or completed changes nothing.
     */
    private static ClaimResult peek(IdempotencyStore store, String eventId) {
        IdempotencyKey key = new IdempotencyKey(
                IdempotentMethod.SCOPE_PREFIX + Ledger.class.getName() + "#credit(String, boolean)", eventId);
        return store.claim(key, ReturnValueCodec.noFingerprint(), Duration.ofMinutes(1));
    }

    private int rows(String eventId) {
        Integer rows = new JdbcTemplate(this.dataSource)
                .queryForObject("SELECT count(*) FROM ledger WHERE event_id = ?", Integer.class, eventId);
        return (rows != null) ? rows : 0;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class LedgerConfiguration {

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        Auditor auditor() {
            return new Auditor();
        }

        @Bean
        Ledger ledger(DataSource dataSource, Auditor auditor) {
            return new Ledger(new JdbcTemplate(dataSource), auditor);
        }
    }

    /**
     * A consumer that writes a ledger row per event in its transaction.
     */
    public static class Ledger {

        private final AtomicInteger runs = new AtomicInteger();

        private final JdbcTemplate jdbc;

        private final Auditor auditor;

        Ledger(JdbcTemplate jdbc, Auditor auditor) {
            this.jdbc = jdbc;
            this.auditor = auditor;
        }

        @Transactional
        @Idempotent(key = "#eventId")
        public void credit(String eventId, boolean auditFails) {
            this.runs.incrementAndGet();
            this.jdbc.update("INSERT INTO ledger (event_id) VALUES (?)", eventId);
            if (auditFails) {
                try {
                    this.auditor.audit();
                } catch (IllegalStateException ex) {
                    // Swallowed, as consumers often do; the shared transaction is rollback-only all the same.
                }
            }
        }

        @Transactional
        @Idempotent(key = "#eventId", fingerprint = "#amount")
        public String creditWithReceipt(String eventId, long amount) {
            int run = this.runs.incrementAndGet();
            this.jdbc.update("INSERT INTO ledger (event_id) VALUES (?)", eventId);
            return "receipt-" + run;
        }

        int runs() {
            return this.runs.get();
        }
    }

    /**
     * A transactional service whose failure marks the caller's transaction rollback-only.
     */
    public static class Auditor {

        @Transactional
        public void audit() {
            throw new IllegalStateException("audit failed");
        }
    }
}
