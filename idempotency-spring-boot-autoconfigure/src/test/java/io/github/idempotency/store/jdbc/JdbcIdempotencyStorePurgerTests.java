package io.github.idempotency.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ClaimResult.Claimed;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.store.MutableClock;
import io.github.idempotency.testsupport.H2TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.SqlProvider;

/**
 * Tests of {@link JdbcIdempotencyStorePurger} on an in-memory H2 database. The scheduled runs are observed
 * through a {@link JdbcTemplate} that counts the statements they run, never by waiting for time to pass.
 */
@ExtendWith(OutputCaptureExtension.class)
class JdbcIdempotencyStorePurgerTests {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private static HikariDataSource dataSource;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private TestTable table;

    private JdbcIdempotencyStorePurger purger;

    @BeforeAll
    static void createDatabase() {
        dataSource = H2TestDatabase.createDataSource(4);
    }

    @AfterAll
    static void closeDatabase() {
        dataSource.close();
    }

    @BeforeEach
    void createTable() {
        this.table = TestTable.create(dataSource);
    }

    @AfterEach
    void stopPurgerAndDropTable() {
        if (this.purger != null) {
            this.purger.stop();
        }
        this.table.close();
    }

    @Test
    void purgeWhenRecordsExpiredThenDeletesThemAndReturnsCount() {
        JdbcIdempotencyStore store = store(new JdbcTemplate(dataSource), this.table.name());
        claimNew(store, 3);
        this.clock.advance(LEASE);
        claimNew(store, 1);
        this.purger = new JdbcIdempotencyStorePurger(store, Duration.ofMinutes(5), 2);

        assertThat(this.purger.purge()).isEqualTo(3);

        assertThat(this.table.rowCount()).isEqualTo(1);
    }

    @Test
    void purgeWhenStoreFailsThenLogsWarningAndReturnsMinusOne(CapturedOutput output) {
        JdbcIdempotencyStore store = store(new JdbcTemplate(dataSource), "no_such_table");
        this.purger = new JdbcIdempotencyStorePurger(store, Duration.ofMinutes(5), 10);

        assertThat(this.purger.purge()).isEqualTo(-1);

        assertThat(output).contains("WARN").contains("Could not purge expired idempotency records");
        assertThat(output).contains("no_such_table");
    }

    @Test
    void purgeWhenFailuresRepeatThenLogsOneStackTraceAndTheRecovery(CapturedOutput output) {
        CountingJdbcTemplate jdbc = new CountingJdbcTemplate(dataSource, 2, 3);
        this.purger = new JdbcIdempotencyStorePurger(store(jdbc, this.table.name()), Duration.ofMinutes(5), 10);

        assertThat(this.purger.purge()).isEqualTo(-1);
        assertThat(this.purger.purge()).isEqualTo(-1);
        assertThat(this.purger.purge()).isZero();

        List<String> lines = output.getAll()
                .lines()
                .filter((line) -> line.contains("Purge of expired idempotency records"))
                .toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("WARN").contains("is failing");
        assertThat(lines.get(1)).contains("INFO").contains("is back after 2 failures");
        // A logged exception begins its stack trace with its class name.
        assertThat(output.getAll()
                        .lines()
                        .filter((line) -> line.startsWith(IdempotencyStoreException.class.getName() + ": ")))
                .hasSize(1);
    }

    @Test
    void startWhenScheduledPurgesFailThenKeepsPurgingUntilOneSucceeds() throws Exception {
        // The first two runs fail; the third deletes the expired records.
        CountingJdbcTemplate jdbc = new CountingJdbcTemplate(dataSource, 2, 3);
        JdbcIdempotencyStore store = store(jdbc, this.table.name());
        claimNew(store, 2);
        this.clock.advance(LEASE);
        this.purger = new JdbcIdempotencyStorePurger(store, Duration.ofMillis(1), 10);

        this.purger.start();

        assertThat(jdbc.awaitStatements()).isTrue();
        assertThat(this.purger.isRunning()).isTrue();
        assertThat(this.table.rowCount()).isZero();
        assertThat(jdbc.threads()).allSatisfy((thread) -> {
            assertThat(thread.getName()).startsWith("idempotency-purge-");
            assertThat(thread.isDaemon()).isTrue();
        });
    }

    @Test
    void stopWhenRunningThenEndsItsThread() throws Exception {
        CountingJdbcTemplate jdbc = new CountingJdbcTemplate(dataSource, 0, 1);
        this.purger = new JdbcIdempotencyStorePurger(store(jdbc, this.table.name()), Duration.ofMillis(1), 10);
        this.purger.start();
        assertThat(jdbc.awaitStatements()).isTrue();
        Thread purgeThread = jdbc.threads().get(0);

        this.purger.stop();

        assertThat(this.purger.isRunning()).isFalse();
        purgeThread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(purgeThread.isAlive()).isFalse();
    }

    @Test
    void startWhenAlreadyRunningThenKeepsRunningOnce() throws Exception {
        CountingJdbcTemplate jdbc = new CountingJdbcTemplate(dataSource, 0, 4);
        this.purger = new JdbcIdempotencyStorePurger(store(jdbc, this.table.name()), Duration.ofMillis(1), 10);

        this.purger.start();
        this.purger.start();

        assertThat(jdbc.awaitStatements()).isTrue();
        assertThat(jdbc.threads())
                .map(Thread::getId)
                .containsOnly(jdbc.threads().get(0).getId());
    }

    @Test
    void constructorWhenArgumentsAreInvalidThenRejectsThem() {
        JdbcIdempotencyStore store = store(new JdbcTemplate(dataSource), this.table.name());

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new JdbcIdempotencyStorePurger(store, Duration.ZERO, 10))
                .withMessageContaining("interval");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new JdbcIdempotencyStorePurger(store, Duration.ofMinutes(1), 0))
                .withMessageContaining("batchSize");
    }

    private JdbcIdempotencyStore store(JdbcTemplate jdbc, String tableName) {
        return new JdbcIdempotencyStore(jdbc, tableName, this.clock, ExpiredLeasePolicy.TAKE_OVER);
    }

    private static void claimNew(JdbcIdempotencyStore store, int count) {
        for (int i = 0; i < count; i++) {
            IdempotencyKey key = new IdempotencyKey("scope", "key-" + UUID.randomUUID());
            assertThat(store.claim(key, "fingerprint", LEASE)).isInstanceOf(Claimed.class);
        }
    }

    /**
     * Fails the first statements it is given as if the database were down, then runs the others; counts
     * down a latch as each statement ends and remembers which thread ran it.
     */
    private static final class CountingJdbcTemplate extends JdbcTemplate {

        private final AtomicInteger failuresLeft;

        private final CountDownLatch statements;

        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        CountingJdbcTemplate(DataSource dataSource, int failures, int expectedStatements) {
            super(dataSource);
            this.failuresLeft = new AtomicInteger(failures);
            this.statements = new CountDownLatch(expectedStatements);
        }

        @Override
        public <T> T execute(PreparedStatementCreator creator, PreparedStatementCallback<T> action)
                throws DataAccessException {
            boolean purge = ((SqlProvider) creator).getSql().strip().startsWith("DELETE");
            try {
                if (purge && this.failuresLeft.getAndDecrement() > 0) {
                    throw new DataAccessResourceFailureException("Simulated outage");
                }
                return super.execute(creator, action);
            } finally {
                if (purge) {
                    this.threads.add(Thread.currentThread());
                    this.statements.countDown();
                }
            }
        }

        boolean awaitStatements() throws InterruptedException {
            return this.statements.await(30, TimeUnit.SECONDS);
        }

        List<Thread> threads() {
            return List.copyOf(this.threads);
        }
    }
}
