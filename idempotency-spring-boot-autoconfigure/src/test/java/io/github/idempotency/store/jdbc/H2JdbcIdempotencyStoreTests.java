package io.github.idempotency.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.H2TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC store's tests on an in-memory H2 database, the embedded default.
 */
class H2JdbcIdempotencyStoreTests extends AbstractJdbcIdempotencyStoreTests {

    private static HikariDataSource dataSource;

    private static TestTable table;

    @BeforeAll
    static void createTable() {
        // More connections than the concurrency tests' threads, so none of them waits for a connection.
        dataSource = H2TestDatabase.createDataSource(32);
        table = TestTable.create(dataSource);
    }

    @AfterAll
    static void dropTable() {
        table.close();
        dataSource.close();
    }

    @Override
    protected TestTable table() {
        return table;
    }
}
