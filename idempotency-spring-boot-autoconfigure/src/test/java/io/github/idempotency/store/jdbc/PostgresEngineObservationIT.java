package io.github.idempotency.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The JDBC store's metrics on PostgreSQL; unavailable where no server listens (connection refused).
 */
class PostgresEngineObservationIT extends AbstractJdbcEngineObservationTests {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createDataSource() {
        dataSource = PostgresTestDatabase.createDataSource(4);
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
        // Port 1 is reserved and nothing listens on it: every connection is refused at once.
        DriverManagerDataSource nowhere = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/test");
        return new JdbcIdempotencyStore(
                new JdbcTemplate(nowhere), "idempotency_record", Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER);
    }
}
