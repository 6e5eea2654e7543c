package io.github.idempotency.store.jdbc;

import io.github.idempotency.testsupport.PostgresTestDatabase;
import javax.sql.DataSource;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A store table of a test's own, created by {@link JdbcIdempotencySchemaInitializer} under a unique name and
 * dropped on {@link #close()}: tests sharing a database never see each other's rows.
 */
final class TestTable implements AutoCloseable {

    private final DataSource dataSource;

    private final String name;

    private TestTable(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.name = name;
    }

    /**
     * Creates a table with a unique name.
     * @param dataSource the database
     * @return the table
     */
    static TestTable create(DataSource dataSource) {
        String name = PostgresTestDatabase.uniqueName("idempotency_test");
        new JdbcIdempotencySchemaInitializer(dataSource, name, DatabaseInitializationMode.ALWAYS).initializeDatabase();
        return new TestTable(dataSource, name);
    }

    DataSource dataSource() {
        return this.dataSource;
    }

    String name() {
        return this.name;
    }

    /**
     * Returns how many rows the table holds.
     * @return the number of rows
     */
    int rowCount() {
        Integer count =
                new JdbcTemplate(this.dataSource).queryForObject("SELECT count(*) FROM " + this.name, Integer.class);
        return (count != null) ? count : 0;
    }

    @Override
    public void close() {
        new JdbcTemplate(this.dataSource).execute("DROP TABLE IF EXISTS " + this.name);
    }
}
