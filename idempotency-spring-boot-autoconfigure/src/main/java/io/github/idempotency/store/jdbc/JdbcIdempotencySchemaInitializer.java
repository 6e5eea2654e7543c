package io.github.idempotency.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.util.Assert;
import org.springframework.util.StreamUtils;

/**
 * Creates the table of {@link JdbcIdempotencyStore} from the script shipped for the database
 * ({@code schema-postgresql.sql}, {@code schema-h2.sql} next to the store), under the configured table name.
 *
 * <p>The scripts name the table {@code idempotency_record}; this initializer puts the configured name in its
 * place, and prefixes the constraint and index names with the table's own name (without its schema), so two
 * tables in one database never clash. The scripts only create what does not exist yet, so running them
 * again is harmless, but they do not change a table that exists: when a table of the same name made for
 * something else breaks the script, the failure names the columns it lacks. A database without a script
 * fails the initialization, naming the missing script.
 */
public class JdbcIdempotencySchemaInitializer extends DataSourceScriptDatabaseInitializer {

    /** Location of the schema scripts, {@code @@platform@@} standing for the database's name. */
    public static final String SCHEMA_LOCATION = "classpath:io/github/idempotency/store/jdbc/schema-@@platform@@.sql";

    private static final String SCRIPT_TABLE_NAME = "idempotency_record";

    /** The table's name, or a name derived from it such as {@code idempotency_record_pk}. */
    private static final Pattern NAME = Pattern.compile("\\b" + SCRIPT_TABLE_NAME + "(_\\w+)?\\b");

    /** How long the check of a table that broke the script waits for the database. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final String tableName;

    private final DatabaseInitializationMode mode;

    /**
     * Creates an initializer that runs the database's schema script when {@code mode} says so.
     * @param dataSource the database to initialize
     * @param tableName the table's name, optionally qualified by its schema; plain SQL identifiers only
     * @param mode when to run the script: always, only on an embedded database, or never
     * @throws IllegalArgumentException if an argument is missing or the table name is not a plain identifier
     */
    public JdbcIdempotencySchemaInitializer(DataSource dataSource, String tableName, DatabaseInitializationMode mode) {
        super(dataSource, new PlatformSettings(dataSource, mode));
        JdbcIdempotencyStore.validateTableName(tableName);
        this.tableName = tableName;
        this.mode = mode;
    }

    /**
     * {@inheritDoc}
     * <p>Asks the database nothing when the mode rules the script out, so that an application whose database
     * is down at startup still starts: under {@link DatabaseInitializationMode#EMBEDDED} a database that
     * cannot be reached counts as not embedded.
     */
    @Override
    public boolean initializeDatabase() {
        if (this.mode == DatabaseInitializationMode.NEVER
                || (this.mode == DatabaseInitializationMode.EMBEDDED && !isEmbeddedDatabase())) {
            return false;
        }
        return super.initializeDatabase();
    }

    @Override
    protected void runScripts(Scripts scripts) {
        Charset encoding = (scripts.getEncoding() != null) ? scripts.getEncoding() : StandardCharsets.UTF_8;
        List<Resource> renamed = new ArrayList<>();
        for (Resource script : scripts) {
            renamed.add(new ByteArrayResource(
                    renameTable(read(script, encoding)).getBytes(encoding), script.getDescription()));
        }
        try {
            super.runScripts(new Scripts(renamed)
                    .continueOnError(scripts.isContinueOnError())
                    .separator(scripts.getSeparator())
                    .encoding(encoding));
        } catch (RuntimeException ex) {
            // A table of the same name made for something else breaks the script on a column it lacks: say so.
            try {
                new JdbcIdempotencySchemaValidator(getDataSource(), this.tableName, CHECK_TIMEOUT).validate();
            } catch (JdbcIdempotencySchemaException wrongTable) {
                wrongTable.addSuppressed(ex);
                throw wrongTable;
            }
            throw ex;
        }
    }

    /**
     * Puts the configured table name into a script written for {@code idempotency_record}.
     * @param script the script's text
     * @return the script for the configured table
     */
    String renameTable(String script) {
        // Constraint and index names cannot carry a schema: they live in their table's schema.
        String simpleName = this.tableName.substring(this.tableName.lastIndexOf('.') + 1);
        return NAME.matcher(script)
                .replaceAll((name) -> Matcher.quoteReplacement(
                        (name.group(1) != null) ? simpleName + name.group(1) : this.tableName));
    }

    private static String read(Resource script, Charset encoding) {
        try (InputStream input = script.getInputStream()) {
            return StreamUtils.copyToString(input, encoding);
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not read schema script " + script.getDescription(), ex);
        }
    }

    /**
     * Settings whose schema script is the one for the database's platform, found when the scripts are about
     * to run: finding the platform opens a connection.
     */
    private static final class PlatformSettings extends DatabaseInitializationSettings {

        private final DataSource dataSource;

        private List<String> schemaLocations;

        PlatformSettings(DataSource dataSource, DatabaseInitializationMode mode) {
            Assert.notNull(dataSource, "'dataSource' must not be null");
            Assert.notNull(mode, "'mode' must not be null");
            this.dataSource = dataSource;
            setMode(mode);
        }

        @Override
        public List<String> getSchemaLocations() {
            if (this.schemaLocations == null) {
                this.schemaLocations =
                        new PlatformPlaceholderDatabaseDriverResolver().resolveAll(this.dataSource, SCHEMA_LOCATION);
            }
            return this.schemaLocations;
        }
    }
}
