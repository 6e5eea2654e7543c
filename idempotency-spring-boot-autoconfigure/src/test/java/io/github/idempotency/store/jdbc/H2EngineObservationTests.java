package io.github.idempotency.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.testsupport.H2TestDatabase;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The JDBC store's metrics on H2; unavailable through a connection pool that was shut down.
 */
class H2EngineObservationTests extends AbstractJdbcEngineObservationTests {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createDataSource() {
        dataSource = H2TestDatabase.createDataSource(4);
    }

    @AfterAll
    static void closeDataSource() {
        dataSource.close();
    }

    @Override
    protected TestTable createTable() {
        return TestTable.create(dataSource);
    }

    @Override
    protected IdempotencyStore createUnavailableStore() {
        HikariDataSource closed = H2TestDatabase.createDataSource(1);
        closed.close();
        return new JdbcIdempotencyStore(
                new JdbcTemplate(closed), "idempotency_record", Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER);
    }
}
