package com.example.payments;

import io.github.idempotency.testsupport.PostgresTestDatabase;
import io.github.idempotency.testsupport.PostgresTestDatabase.ConnectionDetails;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the app's {@code postgres} profile a schema of its own on the test PostgreSQL (found by
 * {@link PostgresTestDatabase}), so that concurrent runs on one server do not see each other's tables, and
 * drops it once the application context has closed, after everything that used it (the event relay, the
 * connection pool) has stopped. Used with {@code @ContextConfiguration(initializers = ...)}, and with
 * {@code @DirtiesContext} so that the context closes with its test class.
 */
class PostgresTestSchema implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConnectionDetails postgres = PostgresTestDatabase.connectionDetails();
        String schema = PostgresTestDatabase.uniqueName("sample_app");
        Map<String, Object> properties = new HashMap<>();
        properties.put(
                "spring.datasource.url",
                postgres.url() + (postgres.url().contains("?") ? "&" : "?") + "currentSchema=" + schema);
        // Unset credentials fall through to the profile's defaults.
        if (postgres.username() != null) {
            properties.put("spring.datasource.username", postgres.username());
        }
        if (postgres.password() != null) {
            properties.put("spring.datasource.password", postgres.password());
        }
        // Flyway creates the schema, and keeps its history there.
        properties.put("spring.flyway.schemas", schema);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("postgresTestSchema", properties));
        // Registered before every bean, so destroyed after all of them.
        ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                .registerDisposableBean("postgresTestSchema", () -> drop(postgres, schema));
    }

    private static void drop(ConnectionDetails postgres, String schema) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(postgres.url(), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
