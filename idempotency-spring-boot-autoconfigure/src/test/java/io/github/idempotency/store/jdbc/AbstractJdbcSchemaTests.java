package io.github.idempotency.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tests that create tables and schemas on a real database, one per subclass, and drop them after each test.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractJdbcSchemaTests {

    private final List<String> drops = new ArrayList<>();

    private HikariDataSource dataSource;

    /**
     * Creates the database, once for all tests of the class.
     * @return the database
     */
    protected abstract HikariDataSource createDataSource();

    @BeforeAll
    void connect() {
        this.dataSource = createDataSource();
    }

    @AfterAll
    void disconnect() {
        this.dataSource.close();
    }

    @AfterEach
    void dropCreatedObjects() {
        JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
        this.drops.forEach(jdbc::execute);
        this.drops.clear();
    }

    /**
     * Returns the database the tests use.
     * @return the database
     */
    protected HikariDataSource dataSource() {
        return this.dataSource;
    }

    /**
     * Returns a new table name and drops the table after the test.
     * @param prefix the start of the name
     * @return the name
     */
    protected String newTableName(String prefix) {
        String table = PostgresTestDatabase.uniqueName(prefix);
        dropAfterTest("DROP TABLE IF EXISTS " + table);
        return table;
    }

    /**
     * Creates a new schema and drops it, with all it holds, after the test.
     * @return the schema's name
     */
    protected String newSchema() {
        String schema = PostgresTestDatabase.uniqueName("idempotency_schema");
        execute("CREATE SCHEMA " + schema);
        dropAfterTest("DROP SCHEMA " + schema + " CASCADE");
        return schema;
    }

    /**
     * Runs a statement on the database.
     * @param sql the statement
     */
    protected void execute(String sql) {
        new JdbcTemplate(this.dataSource).execute(sql);
    }

    private void dropAfterTest(String sql) {
        this.drops.add(sql);
    }
}
