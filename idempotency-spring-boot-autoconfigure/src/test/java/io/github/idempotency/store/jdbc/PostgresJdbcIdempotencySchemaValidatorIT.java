package io.github.idempotency.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@link JdbcIdempotencySchemaValidator} on PostgreSQL (see {@link PostgresTestDatabase}).
 */
class PostgresJdbcIdempotencySchemaValidatorIT extends AbstractJdbcIdempotencySchemaValidatorTests {

    @Override
    protected HikariDataSource createDataSource() {
        return PostgresTestDatabase.createDataSource(4);
    }

    @Override
    protected DataSource unreachableDataSource() {
        // Port 1 on the loopback interface: nothing listens there, so the connection is refused at once.
        return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/absent?connectTimeout=2", "postgres", "");
    }

    @Override
    protected String script() {
        return "io/github/idempotency/store/jdbc/schema-postgresql.sql";
    }
}
