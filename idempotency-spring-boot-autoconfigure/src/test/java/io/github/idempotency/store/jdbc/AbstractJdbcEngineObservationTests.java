package io.github.idempotency.store.jdbc;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.engine.IdempotencyEngineObservationContractTests;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link IdempotencyEngineObservationContractTests} for the JDBC store: it fails when its table is gone, as
 * when a migration dropped it or a grant was revoked. Subclassed per database.
 */
abstract class AbstractJdbcEngineObservationTests extends IdempotencyEngineObservationContractTests {

    private TestTable table;

    private boolean broken;

    /**
     * Creates a table of the test's own in the database under test.
     * @return the table
     */
    protected abstract TestTable createTable();

    @Override
    protected IdempotencyStore createStore() {
        this.table = createTable();
        return new JdbcIdempotencyStore(
                new JdbcTemplate(this.table.dataSource()),
                this.table.name(),
                Clock.systemUTC(),
                ExpiredLeasePolicy.TAKE_OVER);
    }

    @Override
    protected void breakStore(IdempotencyKey key) {
        jdbc().execute("ALTER TABLE " + this.table.name() + " RENAME TO " + this.table.name() + "_away");
        this.broken = true;
    }

    @Override
    protected String storeName() {
        return "jdbc";
    }

    @AfterEach
    void dropTable() {
        if (this.table == null) {
            return;
        }
        if (this.broken) {
            jdbc().execute("ALTER TABLE " + this.table.name() + "_away RENAME TO " + this.table.name());
        }
        this.table.close();
    }

    private JdbcTemplate jdbc() {
        return new JdbcTemplate(this.table.dataSource());
    }
}
