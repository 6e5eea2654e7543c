package io.github.idempotency.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.idempotency.ClaimResult.Claimed;
import io.github.idempotency.ClaimResult.InProgress;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tests of {@link JdbcIdempotencySchemaInitializer} on a real database, subclassed per database. Tables are
 * inspected through JDBC metadata, which every database answers the same way.
 */
abstract class AbstractJdbcIdempotencySchemaInitializerTests extends AbstractJdbcSchemaTests {

    /**
     * Returns whether the {@linkplain #createDataSource() database} is an embedded one, which
     * {@link DatabaseInitializationMode#EMBEDDED} initializes.
     * @return whether it is embedded
     */
    protected abstract boolean isEmbedded();

    @Test
    void initializeDatabaseWhenAlwaysThenCreatesTableWithNamesFollowingIt() {
        String table = newTableName("idempotency_init");

        assertThat(initializer(table, DatabaseInitializationMode.ALWAYS).initializeDatabase())
                .isTrue();

        assertThat(primaryKeyName(null, table)).isEqualToIgnoringCase(table + "_pk");
        assertThat(indexNames(null, table))
                .anySatisfy((index) -> assertThat(index).isEqualToIgnoringCase(table + "_expires_at_idx"));
        assertUsableByStore(table);
    }

    @Test
    void initializeDatabaseWhenTableIsQualifiedBySchemaThenCreatesItThere() {
        String schema = newSchema();

        String table = schema + ".records";

        initializer(table, DatabaseInitializationMode.ALWAYS).initializeDatabase();

        assertThat(primaryKeyName(schema, "records")).isEqualToIgnoringCase("records_pk");
        assertThat(indexNames(schema, "records"))
                .anySatisfy((index) -> assertThat(index).isEqualToIgnoringCase("records_expires_at_idx"));
        assertUsableByStore(table);
    }

    @Test
    void initializeDatabaseWhenTwoTablesShareSchemaThenCreatesBoth() {
        String first = newTableName("idempotency_init");
        String second = newTableName("idempotency_init");

        initializer(first, DatabaseInitializationMode.ALWAYS).initializeDatabase();
        initializer(second, DatabaseInitializationMode.ALWAYS).initializeDatabase();

        assertUsableByStore(first);
        assertUsableByStore(second);
    }

    @Test
    void initializeDatabaseWhenRunAgainThenKeepsTableAndRows() {
        String table = newTableName("idempotency_init");
        initializer(table, DatabaseInitializationMode.ALWAYS).initializeDatabase();
        IdempotencyKey key = assertUsableByStore(table);

        initializer(table, DatabaseInitializationMode.ALWAYS).initializeDatabase();

        assertThat(store(table).claim(key, "fingerprint", Duration.ofMinutes(1)))
                .isInstanceOf(InProgress.class);
    }

    @Test
    void initializeDatabaseWhenEmbeddedThenCreatesTableOnlyOnEmbeddedDatabase() {
        String table = newTableName("idempotency_init");

        assertThat(initializer(table, DatabaseInitializationMode.EMBEDDED).initializeDatabase())
                .isEqualTo(isEmbedded());

        assertThat(primaryKeyName(null, table) != null).isEqualTo(isEmbedded());
    }

    @Test
    void initializeDatabaseWhenNeverThenCreatesNothing() {
        String table = newTableName("idempotency_init");

        assertThat(initializer(table, DatabaseInitializationMode.NEVER).initializeDatabase())
                .isFalse();

        assertThat(primaryKeyName(null, table)).isNull();
    }

    @Test
    void constructorWhenTableNameIsNotPlainIdentifierThenRejectsIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> initializer("records; DROP TABLE users", DatabaseInitializationMode.ALWAYS))
                .withMessageContaining("tableName");
    }

    /**
     * Returns an initializer of the table on the test's database.
     * @param table the table's name
     * @param mode when the script runs
     * @return the initializer
     */
    protected JdbcIdempotencySchemaInitializer initializer(String table, DatabaseInitializationMode mode) {
        return new JdbcIdempotencySchemaInitializer(dataSource(), table, mode);
    }

    /**
     * Returns the name of a table's primary key constraint.
     * @param schema the table's schema, {@code null} for any
     * @param table the table's unqualified name
     * @return the name, or {@code null} when there is no such table
     */
    private String primaryKeyName(String schema, String table) {
        return metaData((metaData) -> {
            try (ResultSet keys = metaData.getPrimaryKeys(null, stored(metaData, schema), stored(metaData, table))) {
                return keys.next() ? keys.getString("PK_NAME") : null;
            }
        });
    }

    private List<String> indexNames(String schema, String table) {
        return metaData((metaData) -> {
            List<String> names = new ArrayList<>();
            try (ResultSet indexes =
                    metaData.getIndexInfo(null, stored(metaData, schema), stored(metaData, table), false, false)) {
                while (indexes.next()) {
                    names.add(indexes.getString("INDEX_NAME"));
                }
            }
            return names;
        });
    }

    private IdempotencyKey assertUsableByStore(String table) {
        IdempotencyKey key = new IdempotencyKey("scope", "key");
        assertThat(store(table).claim(key, "fingerprint", Duration.ofMinutes(1)))
                .isInstanceOf(Claimed.class);
        return key;
    }

    private JdbcIdempotencyStore store(String table) {
        return new JdbcIdempotencyStore(
                new JdbcTemplate(dataSource()), table, Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER);
    }

    private <T> T metaData(MetaDataQuery<T> query) {
        return new JdbcTemplate(dataSource())
                .execute((ConnectionCallback<T>) (connection) -> query.run(connection.getMetaData()));
    }

    /**
     * Returns an unquoted identifier as the database stores it, which is how metadata queries must name it.
     */
    private static String stored(DatabaseMetaData metaData, String identifier) throws SQLException {
        if (identifier == null) {
            return null;
        }
        return metaData.storesUpperCaseIdentifiers()
                ? identifier.toUpperCase(Locale.ROOT)
                : identifier.toLowerCase(Locale.ROOT);
    }

    @FunctionalInterface
    private interface MetaDataQuery<T> {

        T run(DatabaseMetaData metaData) throws SQLException;
    }
}
