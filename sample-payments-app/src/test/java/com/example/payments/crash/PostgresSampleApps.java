package com.example.payments.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import io.github.idempotency.testsupport.PostgresTestDatabase.ConnectionDetails;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Sample apps of one test class, run as child JVMs ({@link SampleAppProcess}) from the {@link SampleAppImage},
 * all on a PostgreSQL schema of the class's own (on the server {@link PostgresTestDatabase} finds), which the
 * test can query too. Closing stops the apps still running and drops the schema.
 */
final class PostgresSampleApps implements AutoCloseable {

    /** How long an app may take to start, on a machine busy with other builds. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final String owner;

    private final ConnectionDetails postgres = PostgresTestDatabase.connectionDetails();

    private final String schema;

    private final HikariDataSource dataSource = PostgresTestDatabase.createDataSource(2);

    private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

    private final List<String> arguments;

    private final Map<String, String> environment;

    private final SampleAppImage image;

    private final List<SampleAppProcess> apps = new ArrayList<>();

    /**
     * Creates the schema and prepares the image (once per test JVM, with these arguments).
     * @param owner the test class, whose name the apps' directories and the schema's start with
     * @param arguments Spring Boot arguments of every app, beyond the database's
     * @param environment environment variables of every app, beyond the database's
     */
    PostgresSampleApps(Class<?> owner, List<String> arguments, Map<String, String> environment) {
        this.owner = owner.getSimpleName();
        this.schema = PostgresTestDatabase.uniqueName("sample_app");
        // Created here, so that the apps' Flyway, starting side by side, only has tables to create.
        this.jdbc.execute("CREATE SCHEMA " + this.schema);
        this.arguments = arguments;
        this.environment = environment;
        // The first class to start pays for the image; its training run also creates its schema's tables.
        this.image = SampleAppImage.prepare(appJar(), workDirectory(), arguments(List.of()), environment());
    }

    /**
     * Starts an app without waiting for it to be ready.
     * @param name what the app is for, in messages and as its directory's name
     * @param extraArguments its arguments beyond every app's
     * @return the running app
     */
    SampleAppProcess start(String name, List<String> extraArguments) {
        Path directory = workDirectory().resolve(this.owner).resolve(name);
        SampleAppProcess app = SampleAppProcess.start(
                name, this.image.jar(), this.image.jvmOptions(), directory, arguments(extraArguments), environment());
        this.apps.add(app);
        return app;
    }

    /**
     * Returns the schema's name, to qualify the apps' tables with.
     * @return the name
     */
    String schema() {
        return this.schema;
    }

    /**
     * Returns a connection to the apps' database.
     * @return the template
     */
    JdbcTemplate jdbc() {
        return this.jdbc;
    }

    @Override
    public void close() {
        this.apps.forEach(SampleAppProcess::close);
        this.jdbc.execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
        this.dataSource.close();
    }

    private List<String> arguments(List<String> extraArguments) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + this.postgres.url()
                        + (this.postgres.url().contains("?") ? "&" : "?") + "currentSchema=" + this.schema,
                "--spring.flyway.schemas=" + this.schema));
        if (this.postgres.username() != null) {
            arguments.add("--spring.datasource.username=" + this.postgres.username());
        }
        arguments.addAll(this.arguments);
        arguments.addAll(extraArguments);
        return arguments;
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(this.environment);
        if (this.postgres.password() != null) {
            // Not on the command line, where any user of the machine could read it.
            environment.put("SPRING_DATASOURCE_PASSWORD", this.postgres.password());
        }
        return environment;
    }

    private static Path workDirectory() {
        return appJar().resolveSibling("crash-recovery");
    }

    private static Path appJar() {
        String jar = System.getProperty("sample-app.jar");
        assertThat(jar)
                .as("system property sample-app.jar, set by the failsafe plugin to the jar that 'package' built;"
                        + " run these tests with ./mvnw -pl sample-payments-app -am verify")
                .isNotBlank();
        return Path.of(jar);
    }
}
