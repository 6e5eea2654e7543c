package io.github.idempotency.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Tests of {@link JdbcIdempotencySchemaValidator} on a real database, subclassed per database: tables made by
 * the shipped script pass, whatever the case and schema of their name; missing tables, tables of the same
 * name made for something else, and tables of an older layout fail naming what to do; an unreachable
 * database passes with a warning.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractJdbcIdempotencySchemaValidatorTests extends AbstractJdbcSchemaTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /**
     * Returns a data source of the same kind whose server does not answer.
     * @return the data source
     */
    protected abstract DataSource unreachableDataSource();

    /**
     * Returns the location of the schema script the failure messages must name.
     * @return the script's location in the jar
     */
    protected abstract String script();

    @Test
    void validateWhenTableWasMadeByTheScriptThenPasses() {
        String table = createdByScript();

        assertThat(validator(table).validate()).isTrue();
    }

    @Test
    void validateWhenNameDiffersInCaseFromTheTableThenPasses() {
        String table = createdByScript();

        // Unquoted names are folded by the database, for the store's statements as for the check.
        assertThat(validator(table.toUpperCase(Locale.ROOT)).validate()).isTrue();
    }

    @Test
    void validateWhenTableIsQualifiedBySchemaThenChecksItThere() {
        String schema = newSchema();
        new JdbcIdempotencySchemaInitializer(dataSource(), schema + ".records", DatabaseInitializationMode.ALWAYS)
                .initializeDatabase();
        // A table of the same simple name outside the schema is not the one checked.
        String outside = newTableName("idempotency_check");
        execute("CREATE TABLE " + outside + " (id INTEGER)");

        assertThat(validator(schema + ".records").validate()).isTrue();
        assertThatIllegalStateException()
                .isThrownBy(() -> validator(schema + "." + outside).validate())
                .withMessageContaining("'" + schema + "." + outside + "'");
    }

    @Test
    void validateWhenTableDoesNotExistThenFailsNamingTheTableAndTheScript() {
        String table = newTableName("idempotency_check");

        assertThatIllegalStateException()
                .isThrownBy(() -> validator(table).validate())
                .withMessageContaining("Table '" + table + "' of the idempotency store cannot be read")
                .withMessageContaining("Create it from " + script())
                .withMessageContaining("idempotency.jdbc.initialize-schema=always");
    }

    @Test
    void validateWhenTableOfTheSameNameWasMadeForSomethingElseThenFailsNamingTheMissingColumns() {
        String table = newTableName("idempotency_check");
        execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, scope_hash VARCHAR(64), token VARCHAR(64))");

        assertThatIllegalStateException()
                .isThrownBy(() -> validator(table).validate())
                .withMessageContaining("Table '" + table + "' of the idempotency store lacks the columns"
                        + " [idempotency_key, fingerprint, status, owner_token, lease_expires_at, expires_at,"
                        + " created_at, response_status, response_headers, response_body, response_body_omitted]")
                .withMessageContaining(script())
                .withMessageContaining("idempotency.jdbc.table-name");
    }

    @Test
    void validateWhenTableHasAnOlderLayoutThenFailsNamingTheColumnItLacks() {
        String table = createdByScript();
        execute("ALTER TABLE " + table + " DROP COLUMN response_body_omitted");

        assertThatIllegalStateException()
                .isThrownBy(() -> validator(table).validate())
                .withMessageContaining("lacks the columns [response_body_omitted]");
    }

    @Test
    void validateWhenDatabaseCannotBeReachedThenWarnsAndPasses(CapturedOutput output) {
        JdbcIdempotencySchemaValidator validator =
                new JdbcIdempotencySchemaValidator(unreachableDataSource(), "idempotency_record", TIMEOUT);

        assertThat(validator.validate()).isFalse();

        assertThat(output)
                .contains("WARN")
                .contains("Could not check the columns of the idempotency store's table 'idempotency_record'")
                .contains("The application starts anyway");
    }

    private JdbcIdempotencySchemaValidator validator(String table) {
        return new JdbcIdempotencySchemaValidator(dataSource(), table, TIMEOUT);
    }

    private String createdByScript() {
        String table = newTableName("idempotency_check");
        new JdbcIdempotencySchemaInitializer(dataSource(), table, DatabaseInitializationMode.ALWAYS)
                .initializeDatabase();
        return table;
    }
}
