package io.github.idempotency.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.actuate.IdempotencyEndpointContractTests;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link IdempotencyEndpointContractTests} on the JDBC store in PostgreSQL.
 */
class PostgresIdempotencyEndpointIT extends IdempotencyEndpointContractTests {

    private static HikariDataSource dataSource;

    private static TestTable table;

    @BeforeAll
    static void createTable() {
        dataSource = PostgresTestDatabase.createDataSource(4);
        table = TestTable.create(dataSource);
    }

    @AfterAll
    static void dropTable() {
        table.close();
        dataSource.close();
    }

    @Override
    protected IdempotencyStore createStore(ExpiredLeasePolicy expiredLeasePolicy) {
        return new JdbcIdempotencyStore(
                new JdbcTemplate(dataSource), table.name(), Clock.systemUTC(), expiredLeasePolicy);
    }
}
