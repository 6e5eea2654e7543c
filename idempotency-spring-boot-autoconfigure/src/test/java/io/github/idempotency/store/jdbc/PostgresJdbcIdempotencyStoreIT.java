package io.github.idempotency.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimResult.Claimed;
import io.github.idempotency.ClaimResult.Completed;
import io.github.idempotency.ClaimResult.InProgress;
import io.github.idempotency.ClaimResult.Mismatch;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The JDBC store's tests on PostgreSQL (see {@link PostgresTestDatabase} for how the server is found), plus
 * what is particular to PostgreSQL: one statement per claim, no duplicate-key errors, and the retry when a
 * concurrent transaction commits the row a claim collided with after the claim's snapshot was taken.
 *
 * <p>The tests of concurrent transactions hold a row in an open transaction on a connection of their own,
 * start the statement under test on another thread, wait until PostgreSQL reports that statement waiting for
 * the row's lock, and only then end the open transaction.
 */
class PostgresJdbcIdempotencyStoreIT extends AbstractJdbcIdempotencyStoreTests {

    private static HikariDataSource dataSource;

    private static TestTable table;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void createTable() {
        dataSource = PostgresTestDatabase.createDataSource(32);
        table = TestTable.create(dataSource);
    }

    @AfterAll
    static void dropTable() {
        table.close();
        dataSource.close();
    }

    @AfterEach
    void stopExecutor() {
        this.executor.shutdownNow();
    }

    @Override
    protected TestTable table() {
        return table;
    }

    @Test
    void claimWhenKeyIsNewThenRunsOneStatement() {
        RecordingJdbcTemplate jdbc = new RecordingJdbcTemplate(dataSource);
        JdbcIdempotencyStore store = recordingStore(jdbc);

        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);

        assertThat(jdbc.statements()).hasSize(1);
    }

    @Test
    void claimWhenKeyIsHeldThenRunsOneStatementWhateverTheAnswer() {
        RecordingJdbcTemplate jdbc = new RecordingJdbcTemplate(dataSource);
        JdbcIdempotencyStore store = recordingStore(jdbc);
        IdempotencyKey inProgress = newKey();
        IdempotencyKey completed = newKey();
        token(store.claim(inProgress, FINGERPRINT, LEASE));
        StoredResponse response = paymentCreated("replayed");
        store.complete(completed, token(store.claim(completed, FINGERPRINT, LEASE)), response, TTL);

        jdbc.clear();
        assertThat(store.claim(completed, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
        assertThat(jdbc.statements()).hasSize(1);

        jdbc.clear();
        assertThat(store.claim(inProgress, FINGERPRINT, LEASE)).isInstanceOf(InProgress.class);
        assertThat(jdbc.statements()).hasSize(1);

        jdbc.clear();
        assertThat(store.claim(completed, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Mismatch.class);
        assertThat(jdbc.statements()).hasSize(1);
    }

    @Test
    void claimWhenKeyIsHeldInsideTransactionThenRaisesNoDuplicateKeyError() {
        IdempotencyKey key = newKey();
        StoredResponse response = paymentCreated("in transaction");

        // PostgreSQL aborts a transaction at its first error: had any claim raised a duplicate-key error,
        // every later statement of the transaction would fail.
        Integer afterClaims = transaction().execute((status) -> {
            complete(key, claim(key), response);
            assertThat(store().claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
            assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Mismatch.class);
            return new JdbcTemplate(dataSource).queryForObject("SELECT 1", Integer.class);
        });

        assertThat(afterClaims).isEqualTo(1);
        assertThat(store().claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
    }

    @Test
    void claimWhenCollidingInsertCommitsAfterClaimStartedThenRetriesAndSeesIt() throws Exception {
        IdempotencyKey key = newKey();
        RecordingJdbcTemplate jdbc = new RecordingJdbcTemplate(dataSource);
        try (Connection holder = openTransaction()) {
            ClaimToken token = token(storeOn(holder).claim(key, FINGERPRINT, LEASE));

            Future<ClaimResult> claim = startWaitingOnRowLock(
                    table.name(), () -> recordingStore(jdbc).claim(key, FINGERPRINT, LEASE));
            holder.commit();

            assertInProgress(claim.get(30, TimeUnit.SECONDS), LEASE);
            // The first statement's snapshot predates the commit: it could neither insert nor see the row.
            assertThat(jdbc.statements()).hasSize(2);
            assertThat(store().complete(key, token, paymentCreated("holder"), TTL))
                    .isTrue();
        }
    }

    @Test
    void claimWhenCollidingInsertRollsBackThenClaims() throws Exception {
        IdempotencyKey key = newKey();
        RecordingJdbcTemplate jdbc = new RecordingJdbcTemplate(dataSource);
        try (Connection holder = openTransaction()) {
            token(storeOn(holder).claim(key, FINGERPRINT, LEASE));

            Future<ClaimResult> claim = startWaitingOnRowLock(
                    table.name(), () -> recordingStore(jdbc).claim(key, FINGERPRINT, LEASE));
            holder.rollback();

            assertThat(claim.get(30, TimeUnit.SECONDS)).isInstanceOf(Claimed.class);
            assertThat(jdbc.statements()).hasSize(1);
        }
    }

    @Test
    void claimWhenConcurrentTakeoverCommitsFirstThenReturnsInProgress() throws Exception {
        IdempotencyKey key = newKey();
        claim(key);
        clock().advance(LEASE);
        try (Connection holder = openTransaction()) {
            ClaimResult holders = storeOn(holder).claim(key, FINGERPRINT, LEASE);
            assertThat(holders)
                    .isInstanceOfSatisfying(
                            Claimed.class,
                            (claimed) -> assertThat(claimed.takenOver()).isTrue());

            Future<ClaimResult> claim =
                    startWaitingOnRowLock(table.name(), () -> store().claim(key, FINGERPRINT, LEASE));
            holder.commit();

            // It saw the expired lease too, but its takeover must find the row no longer the one it saw.
            assertInProgress(claim.get(30, TimeUnit.SECONDS), LEASE);
            assertThat(store().complete(key, token(holders), paymentCreated("holder"), TTL))
                    .isTrue();
        }
    }

    @Test
    void purgeExpiredWhenConcurrentClaimTakesRowOverThenKeepsIt() throws Exception {
        try (TestTable own = TestTable.create(dataSource)) {
            JdbcIdempotencyStore store = new JdbcIdempotencyStore(
                    new JdbcTemplate(dataSource), own.name(), clock(), ExpiredLeasePolicy.TAKE_OVER);
            IdempotencyKey key = newKey();
            token(store.claim(key, FINGERPRINT, LEASE));
            clock().advance(LEASE);
            try (Connection holder = openTransaction()) {
                JdbcIdempotencyStore holding = new JdbcIdempotencyStore(
                        new JdbcTemplate(new SingleConnectionDataSource(holder, true)),
                        own.name(),
                        clock(),
                        ExpiredLeasePolicy.TAKE_OVER);
                ClaimToken owner = token(holding.claim(key, FINGERPRINT, LEASE));

                Future<Integer> purge = startWaitingOnRowLock(own.name(), () -> store.purgeExpired(10));
                holder.commit();

                // The purge chose the row while it was expired; it must re-check that on the row it deletes.
                assertThat(purge.get(30, TimeUnit.SECONDS)).isZero();
                assertThat(store.complete(key, owner, paymentCreated("owner"), TTL))
                        .isTrue();
            }
        }
    }

    @Test
    void claimWhenRowStaysLockedPastQueryTimeoutThenThrowsStoreException() throws Exception {
        IdempotencyKey key = newKey();
        try (Connection holder = openTransaction()) {
            token(storeOn(holder).claim(key, FINGERPRINT, LEASE));
            JdbcIdempotencyStore impatient = new JdbcIdempotencyStore(
                    new JdbcTemplate(dataSource), table.name(), clock(), ExpiredLeasePolicy.TAKE_OVER);
            impatient.setQueryTimeout(Duration.ofSeconds(1));

            assertThatExceptionOfType(IdempotencyStoreException.class)
                    .isThrownBy(() -> impatient.claim(key, FINGERPRINT, LEASE))
                    .withMessageContaining("Could not claim an idempotency key in table '" + table.name() + "'")
                    .withMessageContaining("canceling statement");
            holder.rollback();
        }
    }

    @Test
    void claimWithAsyncCommitRunsOneStatementThatTurnsOffTheFlushOfItsOwnCommit() {
        RecordingJdbcTemplate jdbc = new RecordingJdbcTemplate(dataSource);
        JdbcIdempotencyStore store = recordingStore(jdbc);
        store.setClaimCommit(ClaimCommit.ASYNC);

        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);

        assertThat(jdbc.statements())
                .singleElement()
                .asString()
                .contains("set_config('synchronous_commit', 'off', true)")
                .contains("INSERT INTO " + table.name());
    }

    @Test
    void claimWithAsyncCommitIsVisibleToClaimsOnOtherConnectionsAtOnce() {
        JdbcIdempotencyStore async = new JdbcIdempotencyStore(
                new JdbcTemplate(dataSource), table.name(), clock(), ExpiredLeasePolicy.TAKE_OVER);
        async.setClaimCommit(ClaimCommit.ASYNC);
        IdempotencyKey key = newKey();
        ClaimToken token = token(async.claim(key, FINGERPRINT, LEASE));

        try (HikariDataSource otherInstance = PostgresTestDatabase.createDataSource(1)) {
            JdbcIdempotencyStore other = new JdbcIdempotencyStore(
                    new JdbcTemplate(otherInstance), table.name(), clock(), ExpiredLeasePolicy.TAKE_OVER);
            assertThat(other.claim(key, FINGERPRINT, LEASE)).isInstanceOf(InProgress.class);
            StoredResponse response = paymentCreated("async");
            assertThat(async.complete(key, token, response, TTL)).isTrue();
            assertThat(other.claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
        }
    }

    @Test
    void claimWithAsyncCommitInATransactionRunsTheSynchronousStatement() {
        RecordingJdbcTemplate jdbc = new RecordingJdbcTemplate(dataSource);
        JdbcIdempotencyStore store = recordingStore(jdbc);
        store.setClaimCommit(ClaimCommit.ASYNC);
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        transaction.executeWithoutResult((status) -> {
            assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
            status.setRollbackOnly();
        });

        assertThat(jdbc.statements()).singleElement().asString().doesNotContain("synchronous_commit");
    }

    @Test
    void claimInATransactionWithALimitedLockWaitSetsTheLimitInTheClaimStatementItself() {
        RecordingJdbcTemplate jdbc = new RecordingJdbcTemplate(dataSource);
        JdbcIdempotencyStore store = recordingStore(jdbc);
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        String lockTimeout = transaction.execute((status) -> {
            store.limitLockWait(Duration.ofMillis(250));
            assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
            status.setRollbackOnly();
            return new JdbcTemplate(dataSource).queryForObject("SHOW lock_timeout", String.class);
        });

        assertThat(lockTimeout).isEqualTo("250ms");
        assertThat(jdbc.statements())
                .singleElement()
                .asString()
                .contains("set_config('lock_timeout', ?, true)")
                .contains("INSERT INTO " + table.name());
        // The limit belongs to that transaction only.
        jdbc.clear();
        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertThat(jdbc.statements()).singleElement().asString().doesNotContain("lock_timeout");
    }

    @Test
    void claimWithALimitedLockWaitWhenAnUncommittedClaimHoldsTheKeyAnswersInProgressOnceTheLimitIsUp()
            throws Exception {
        IdempotencyKey key = newKey();
        try (Connection holder = openTransaction()) {
            token(storeOn(holder).claim(key, FINGERPRINT, LEASE));
            JdbcIdempotencyStore store = new JdbcIdempotencyStore(
                    new JdbcTemplate(dataSource), table.name(), clock(), ExpiredLeasePolicy.TAKE_OVER);
            // A statement timeout far beyond the lock wait: the lock timeout is what ends the wait.
            store.setQueryTimeout(Duration.ofSeconds(30));
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

            long start = System.nanoTime();
            ClaimResult result = transaction.execute((status) -> {
                store.limitLockWait(Duration.ofMillis(200));
                return store.claim(key, FINGERPRINT, LEASE);
            });

            assertThat(result).isEqualTo(new InProgress(Duration.ZERO));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            holder.rollback();
        }
    }

    private JdbcIdempotencyStore recordingStore(RecordingJdbcTemplate jdbc) {
        return new JdbcIdempotencyStore(jdbc, table.name(), clock(), ExpiredLeasePolicy.TAKE_OVER);
    }

    /**
     * Returns a store whose statements run in the open transaction of {@code connection}.
     */
    private JdbcIdempotencyStore storeOn(Connection connection) {
        return new JdbcIdempotencyStore(
                new JdbcTemplate(new SingleConnectionDataSource(connection, true)),
                table.name(),
                clock(),
                ExpiredLeasePolicy.TAKE_OVER);
    }

    private static Connection openTransaction() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    /**
     * Starts a task on another thread and returns once PostgreSQL reports a statement on the table waiting
     * for a lock: the task's, since no other test uses the table.
     */
    private <T> Future<T> startWaitingOnRowLock(String tableName, Supplier<T> task) {
        Future<T> result = CompletableFuture.supplyAsync(task, this.executor);
        JdbcTemplate monitor = new JdbcTemplate(dataSource);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    assertThat(result).isNotDone();
                    Integer waiting = monitor.queryForObject(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
                            Integer.class,
                            "%" + tableName + "%");
                    return waiting != null && waiting > 0;
                });
        return result;
    }
}
