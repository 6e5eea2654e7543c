package io.github.idempotency.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How {@link LocalPostgresServer} creates the tests' database, on the server the tests found (the local one
 * or any other: creating a database works the same), under a name of this test's own.
 */
class LocalPostgresServerIT {

    private static final int CREATORS = 6;

    private final String database = PostgresTestDatabase.uniqueName("idempotency_tests");

    private HikariDataSource dataSource;

    private ExecutorService executor;

    @BeforeEach
    void connect() {
        this.dataSource = PostgresTestDatabase.createDataSource(CREATORS);
        this.executor = Executors.newFixedThreadPool(CREATORS);
    }

    @AfterEach
    void dropDatabase() {
        this.executor.shutdownNow();
        new JdbcTemplate(this.dataSource).execute("DROP DATABASE IF EXISTS " + this.database);
        this.dataSource.close();
    }

    @Test
    void createDatabaseIfMissingWhenSeveralCreateItAtOnceThenEachSucceeds() throws Exception {
        // As test JVMs that start together on a machine where the database does not exist yet.
        CyclicBarrier start = new CyclicBarrier(CREATORS);
        List<Future<?>> creations = new ArrayList<>();
        for (int i = 0; i < CREATORS; i++) {
            creations.add(this.executor.submit(() -> {
                try (Connection connection = this.dataSource.getConnection()) {
                    start.await(10, TimeUnit.SECONDS);
                    LocalPostgresServer.createDatabaseIfMissing(connection, this.database);
                }
                return null;
            }));
        }
        for (Future<?> creation : creations) {
            creation.get(60, TimeUnit.SECONDS);
        }

        assertThat(databaseCount()).isEqualTo(1);
    }

    @Test
    void createDatabaseIfMissingWhenItExistsThenLeavesIt() throws Exception {
        try (Connection connection = this.dataSource.getConnection()) {
            LocalPostgresServer.createDatabaseIfMissing(connection, this.database);
            LocalPostgresServer.createDatabaseIfMissing(connection, this.database);
        }

        assertThat(databaseCount()).isEqualTo(1);
    }

    private Integer databaseCount() {
        return new JdbcTemplate(this.dataSource)
                .queryForObject("SELECT count(*) FROM pg_database WHERE datname = ?", Integer.class, this.database);
    }
}
