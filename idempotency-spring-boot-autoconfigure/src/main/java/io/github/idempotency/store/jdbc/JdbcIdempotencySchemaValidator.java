package io.github.idempotency.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.Assert;

/**
 * Checks at startup that the table of a {@link JdbcIdempotencyStore} exists and has the store's columns, so
 * that a missing table, or a table of the same name made for something else or by an older version, fails
 * the start with a message saying what to do, rather than every request with {@code 503}.
 *
 * <p>The check reads the table as the store does: {@code SELECT * FROM <table> WHERE 1 = 0} on the
 * database's own name resolution (search path, case folding of unquoted names), then compares the columns
 * of the result with the store's, ignoring case. A database that cannot be reached, or that does not answer
 * within the timeout, is logged at {@code WARN} and passes: an application must be able to start while its
 * database is briefly down, and the store answers {@code 503} until it is back.
 */
public class JdbcIdempotencySchemaValidator implements InitializingBean {

    private static final Log logger = LogFactory.getLog(JdbcIdempotencySchemaValidator.class);

    /** The columns the store reads and writes, as the schema scripts name them. */
    static final List<String> COLUMNS = List.of(
            "scope_hash",
            "idempotency_key",
            "fingerprint",
            "status",
            "owner_token",
            "lease_expires_at",
            "expires_at",
            "created_at",
            "response_status",
            "response_headers",
            "response_body",
            "response_body_omitted");

    /** Where the schema scripts are, with {@code @@platform@@} for the database's id. */
    private static final String SCRIPT =
            JdbcIdempotencySchemaInitializer.SCHEMA_LOCATION.substring("classpath:".length());

    /** SQLSTATE class of syntax errors and access rule violations: an unknown table, a missing privilege. */
    private static final String SYNTAX_OR_ACCESS_RULE_VIOLATION = "42";

    private final DataSource dataSource;

    private final String tableName;

    private final Duration timeout;

    /**
     * Creates a validator; it checks when {@linkplain #afterPropertiesSet() initialized} by the container,
     * or when {@link #validate()} is called.
     * @param dataSource the database holding the table
     * @param tableName the table's name, optionally qualified by its schema; plain SQL identifiers only
     * @param timeout how long the check waits for the database's answer, rounded up to whole seconds
     */
    public JdbcIdempotencySchemaValidator(DataSource dataSource, String tableName, Duration timeout) {
        Assert.notNull(dataSource, "'dataSource' must not be null");
        Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
        JdbcIdempotencyStore.validateTableName(tableName);
        this.dataSource = dataSource;
        this.tableName = tableName;
        this.timeout = timeout;
    }

    @Override
    public void afterPropertiesSet() {
        validate();
    }

    /**
     * Checks the table.
     * @return whether the table was checked and is fine; {@code false} when the database could not be asked
     * @throws JdbcIdempotencySchemaException if the table does not exist, cannot be read, or lacks columns of
     * the store
     */
    public boolean validate() {
        Connection connection;
        try {
            connection = this.dataSource.getConnection();
        } catch (SQLException | RuntimeException ex) {
            warnUnchecked(ex);
            return false;
        }
        try (connection) {
            Set<String> present;
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) Math.max(1, (this.timeout.toMillis() + 999) / 1000));
                try (ResultSet result = statement.executeQuery("SELECT * FROM " + this.tableName + " WHERE 1 = 0")) {
                    present = columnNames(result.getMetaData());
                }
            } catch (SQLException ex) {
                if (ex.getSQLState() != null && ex.getSQLState().startsWith(SYNTAX_OR_ACCESS_RULE_VIOLATION)) {
                    throw new JdbcIdempotencySchemaException(
                            "Table '" + this.tableName + "' of the idempotency store cannot be read: "
                                    + ex.getMessage().strip() + ".",
                            remedy(connection, false),
                            ex);
                }
                warnUnchecked(ex);
                return false;
            }
            List<String> missing = new ArrayList<>();
            for (String column : COLUMNS) {
                if (!present.contains(column)) {
                    missing.add(column);
                }
            }
            if (!missing.isEmpty()) {
                throw new JdbcIdempotencySchemaException(
                        "Table '" + this.tableName + "' of the idempotency store lacks the columns " + missing
                                + ": it was made for something else, or by an older version of the starter.",
                        remedy(connection, true),
                        null);
            }
            return true;
        } catch (SQLException ex) {
            // Closing the connection failed: the check itself had an answer.
            return true;
        }
    }

    private static Set<String> columnNames(ResultSetMetaData metaData) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            names.add(metaData.getColumnName(i).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static String remedy(Connection connection, boolean tableExists) {
        String script = script(connection);
        if (!tableExists) {
            return "Create it from " + script + " (idempotency.jdbc.initialize-schema=always runs it at startup),"
                    + " or with your migrations (Flyway, Liquibase).";
        }
        return "Give the store a table of its own (idempotency.jdbc.table-name), or drop or migrate this one to the"
                + " layout of " + script + ": the schema initialization creates a missing table only, and leaves an"
                + " existing one as it is.";
    }

    /**
     * Names the schema script for the database, or both shipped ones when there is none for it.
     */
    private static String script(Connection connection) {
        String productName;
        try {
            productName = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException ex) {
            productName = null;
        }
        String id = DatabaseDriver.fromProductName(productName).getId();
        String location = SCRIPT.replace("@@platform@@", String.valueOf(id));
        if (id != null && new ClassPathResource(location).exists()) {
            return location + " in the starter's jar";
        }
        return SCRIPT.replace("@@platform@@", "postgresql") + " (or schema-h2.sql) in the starter's jar, adapted to "
                + productName;
    }

    private void warnUnchecked(Exception ex) {
        logger.warn("Could not check the columns of the idempotency store's table '" + this.tableName
                + "' at startup, the database did not answer: " + ex.getMessage()
                + ". The application starts anyway; idempotent requests answer 503 until the database does");
    }
}
