package io.github.idempotency.aop;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaInitializer;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link IdempotentMethodContractTests} on the {@link JdbcIdempotencyStore} in a real PostgreSQL, in a table
 * of its own.
 */
class PostgresIdempotentMethodIT extends IdempotentMethodContractTests {

    private static HikariDataSource dataSource;

    private static String table;

    private static IdempotencyStore store;

    @BeforeAll
    static void createTable() {
        dataSource = PostgresTestDatabase.createDataSource(24);
        table = PostgresTestDatabase.uniqueName("idempotency_method");
        new JdbcIdempotencySchemaInitializer(dataSource, table, DatabaseInitializationMode.ALWAYS).initializeDatabase();
        store = new JdbcIdempotencyStore(
                new JdbcTemplate(dataSource), table, Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER);
    }

    @AfterAll
    static void dropTable() {
        if (dataSource != null) {
            new JdbcTemplate(dataSource).execute("DROP TABLE IF EXISTS " + table);
            dataSource.close();
        }
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }
}
