package io.github.idempotency.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.H2TestDatabase;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@link JdbcIdempotencySchemaValidator} on an in-memory H2 database.
 */
class JdbcIdempotencySchemaValidatorTests extends AbstractJdbcIdempotencySchemaValidatorTests {

    @Override
    protected HikariDataSource createDataSource() {
        return H2TestDatabase.createDataSource(4);
    }

    @Override
    protected DataSource unreachableDataSource() {
        // Port 1 on the loopback interface: nothing listens there, so the connection is refused at once.
        return new DriverManagerDataSource("jdbc:h2:tcp://127.0.0.1:1/mem:absent");
    }

    @Override
    protected String script() {
        return "io/github/idempotency/store/jdbc/schema-h2.sql";
    }
}
