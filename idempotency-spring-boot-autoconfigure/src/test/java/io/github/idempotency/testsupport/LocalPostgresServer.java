package io.github.idempotency.testsupport;

import io.github.idempotency.testsupport.PostgresTestDatabase.ConnectionDetails;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;

/**
 * A PostgreSQL server on its usual local port, as a developer's machine or a CI runner has it: reached as
 * {@value #USERNAME} without a password, the tests work in a database of their own, {@value #DATABASE},
 * which they create through the {@code postgres} maintenance database when it is missing.
 */
final class LocalPostgresServer {

    /** The usual port. */
    static final int PORT = 5432;

    /** The superuser every installation has. */
    static final String USERNAME = "postgres";

    /** The tests' own database, so that they leave the installation's databases alone. */
    static final String DATABASE = "idempotency_tests";

    private static final String MAINTENANCE_DATABASE = "postgres";

    // duplicate_database when the database exists by the time CREATE DATABASE looks; unique_violation when
    // another JVM's CREATE DATABASE of the same name commits while this one runs.
    private static final Set<String> ALREADY_CREATED_STATES = Set.of("42P04", "23505");

    private LocalPostgresServer() {}

    /**
     * Returns how to reach the tests' database on the local server, creating the database when missing.
     * @return the connection details
     * @throws SourceUnavailableException when nothing listens on the port, or the server refuses
     * {@value #USERNAME} without a password, or the database cannot be created
     */
    static ConnectionDetails connectionDetails() throws SourceUnavailableException {
        LocalServerProbe.requireListening(PORT);
        try (Connection maintenance = connect(MAINTENANCE_DATABASE)) {
            createDatabaseIfMissing(maintenance, DATABASE);
        } catch (SQLException ex) {
            throw new SourceUnavailableException("answered, but user " + USERNAME + " without a password could not"
                    + " use database " + DATABASE + " (" + ex.getMessage() + ")");
        }
        return new ConnectionDetails(url(DATABASE), USERNAME, null);
    }

    /**
     * Creates a database unless it exists, also when other JVMs create the same one at the same time.
     * @param connection a connection to any database of the server, outside a transaction
     * @param database the database, a plain SQL identifier
     * @throws SQLException when the database neither exists nor can be created
     */
    static void createDatabaseIfMissing(Connection connection, String database) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
        }
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE DATABASE " + database);
        } catch (SQLException ex) {
            if (!ALREADY_CREATED_STATES.contains(ex.getSQLState())) {
                throw ex;
            }
        }
    }

    private static Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USERNAME);
        // Seconds: whatever answers on the port gets a short while to prove it is PostgreSQL.
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("loginTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(url(database), properties);
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + LocalServerProbe.HOST + ":" + PORT + "/" + database;
    }
}
