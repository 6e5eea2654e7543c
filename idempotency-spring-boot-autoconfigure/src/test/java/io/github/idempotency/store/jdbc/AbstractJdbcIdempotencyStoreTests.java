package io.github.idempotency.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.ClaimResult.Claimed;
import io.github.idempotency.ClaimResult.Completed;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.store.IdempotencyStoreContractTests;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link IdempotencyStoreContractTests} for {@link JdbcIdempotencyStore}, plus what only the JDBC store
 * does: purging expired rows in batches and joining the caller's transaction. Subclassed per database.
 */
abstract class AbstractJdbcIdempotencyStoreTests extends IdempotencyStoreContractTests {

    /**
     * Returns the table the contract tests share, created before the class's tests and dropped after them.
     * @return the table
     */
    protected abstract TestTable table();

    @Override
    protected IdempotencyStore createStore(Clock clock, ExpiredLeasePolicy expiredLeasePolicy) {
        return new JdbcIdempotencyStore(
                new JdbcTemplate(table().dataSource()), table().name(), clock, expiredLeasePolicy);
    }

    @Test
    void purgeExpiredWhenRowsExpiredThenDeletesThemInBatches() {
        withOwnTable(ExpiredLeasePolicy.TAKE_OVER, (purged) -> {
            List<IdempotencyKey> live = new ArrayList<>();
            purged.completeNew(25);
            purged.claimNew(2);
            clock().advance(TTL);
            live.addAll(purged.completeNew(3));
            live.addAll(purged.claimNew(1));
            purged.jdbc().clear();

            assertThat(purged.store().purgeExpired(10)).isEqualTo(27);

            // 27 rows in batches of 10: two full batches, then one of 7 that ends the purge.
            assertThat(purged.jdbc().statements())
                    .hasSize(3)
                    .allMatch((sql) -> sql.strip().startsWith("DELETE"));
            assertThat(purged.table().rowCount()).isEqualTo(live.size());
            for (IdempotencyKey key : live) {
                assertThat(purged.store().claim(key, FINGERPRINT, LEASE)).isNotInstanceOf(Claimed.class);
            }
        });
    }

    @Test
    void purgeExpiredWhenBatchIsExactlyFilledThenChecksForMore() {
        withOwnTable(ExpiredLeasePolicy.TAKE_OVER, (purged) -> {
            purged.completeNew(4);
            clock().advance(TTL);
            purged.jdbc().clear();

            assertThat(purged.store().purgeExpired(2)).isEqualTo(4);

            assertThat(purged.jdbc().statements()).hasSize(3);
            assertThat(purged.table().rowCount()).isZero();
        });
    }

    @Test
    void purgeExpiredWhenNothingExpiredThenDeletesNothing() {
        withOwnTable(ExpiredLeasePolicy.TAKE_OVER, (purged) -> {
            purged.completeNew(2);
            purged.claimNew(2);
            clock().advance(LEASE.minusMillis(1));

            assertThat(purged.store().purgeExpired(10)).isZero();

            assertThat(purged.table().rowCount()).isEqualTo(4);
        });
    }

    @Test
    void purgeExpiredUnderBlockThenKeepsAbandonedClaims() {
        withOwnTable(ExpiredLeasePolicy.BLOCK, (purged) -> {
            purged.completeNew(2);
            IdempotencyKey abandoned = purged.claimNew(1).get(0);
            clock().advance(TTL);

            assertThat(purged.store().purgeExpired(10)).isEqualTo(2);

            assertThat(purged.table().rowCount()).isEqualTo(1);
            assertInProgress(purged.store().claim(abandoned, FINGERPRINT, LEASE), Duration.ZERO);
        });
    }

    @Test
    void claimWhenEnclosingTransactionCommitsThenRecordIsKept() {
        IdempotencyKey key = newKey();
        StoredResponse response = paymentCreated("committed");

        transaction().executeWithoutResult((status) -> complete(key, claim(key), response));

        assertThat(store().claim(key, FINGERPRINT, LEASE)).isEqualTo(new Completed(response));
    }

    @Test
    void claimWhenEnclosingTransactionRollsBackThenRecordIsGone() {
        IdempotencyKey key = newKey();

        transaction().executeWithoutResult((status) -> {
            complete(key, claim(key), paymentCreated("rolled back"));
            status.setRollbackOnly();
        });

        assertThat(store().claim(key, OTHER_FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
    }

    /**
     * Returns a transaction template on the table's database, which the stores' statements join.
     * @return the template
     */
    protected TransactionTemplate transaction() {
        return new TransactionTemplate(new DataSourceTransactionManager(table().dataSource()));
    }

    /**
     * Runs a test on a table of its own, for tests that count every row of the table.
     */
    private void withOwnTable(ExpiredLeasePolicy policy, Consumer<OwnTable> test) {
        try (TestTable table = TestTable.create(table().dataSource())) {
            RecordingJdbcTemplate jdbc = new RecordingJdbcTemplate(table.dataSource());
            test.accept(new OwnTable(table, jdbc, new JdbcIdempotencyStore(jdbc, table.name(), clock(), policy)));
        }
    }

    private record OwnTable(TestTable table, RecordingJdbcTemplate jdbc, JdbcIdempotencyStore store) {

        List<IdempotencyKey> claimNew(int count) {
            List<IdempotencyKey> keys = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                IdempotencyKey key = newKey();
                token(this.store.claim(key, FINGERPRINT, LEASE));
                keys.add(key);
            }
            return keys;
        }

        List<IdempotencyKey> completeNew(int count) {
            List<IdempotencyKey> keys = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                IdempotencyKey key = newKey();
                this.store.complete(key, token(this.store.claim(key, FINGERPRINT, LEASE)), paymentCreated("x"), TTL);
                keys.add(key);
            }
            return keys;
        }
    }
}
