package io.github.idempotency.transactional;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The transactional mode on PostgreSQL, where a concurrent duplicate waits on the first request's
 * uncommitted claim, and a failed commit leaves no trace. Everything lives in a schema of its own.
 */
@SpringBootTest(
        classes = {TransactionalTestApplication.class, PostgresTransactionalModeIT.PostgresSchema.class},
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "idempotency.store.type=jdbc",
            "idempotency.jdbc.initialize-schema=always",
            "idempotency.store.timeout=6s",
            "idempotency.max-response-size=1KB",
            "test.orders-ddl=CREATE TABLE orders (id BIGSERIAL PRIMARY KEY, ref VARCHAR(64) NOT NULL,"
                    + " CONSTRAINT orders_ref_unique UNIQUE (ref) DEFERRABLE INITIALLY DEFERRED)"
        })
class PostgresTransactionalModeIT extends TransactionalModeTests {

    static final String SCHEMA = PostgresTestDatabase.uniqueName("transactional");

    @AfterAll
    static void dropSchema() throws Exception {
        execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Test
    void concurrentDuplicateWaitsForTheFirstTransactionThenReplaysItsCommittedResponse() throws Exception {
        String ref = newRef();
        int runs = this.endpoints.runs.get();
        CompletableFuture<HttpResponse<byte[]>> first = startAndHold(ref);
        CompletableFuture<HttpResponse<byte[]>> duplicate = HttpClient.newHttpClient()
                .sendAsync(request("/orders/" + ref, ref), HttpResponse.BodyHandlers.ofByteArray());
        awaitClaimWaitingOnLock();
        this.endpoints.release.countDown();
        HttpResponse<byte[]> firstResponse = first.get(10, TimeUnit.SECONDS);
        HttpResponse<byte[]> duplicateResponse = duplicate.get(10, TimeUnit.SECONDS);
        assertThat(firstResponse.statusCode()).isEqualTo(201);
        assertThat(duplicateResponse.statusCode()).isEqualTo(201);
        assertThat(duplicateResponse.headers().firstValue("Idempotent-Replayed"))
                .hasValue("true");
        assertThat(duplicateResponse.body()).isEqualTo(firstResponse.body());
        assertThat(this.endpoints.runs.get()).isEqualTo(runs + 1);
        assertThat(this.orders.count(ref)).isEqualTo(1);
    }

    @Test
    void duplicateWaitingLongerThanTheLockTimeoutGets409() throws Exception {
        String ref = newRef();
        CompletableFuture<HttpResponse<byte[]>> first = startAndHold(ref);
        HttpResponse<byte[]> duplicate = post("/orders/" + ref, ref);
        this.endpoints.release.countDown();
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertThat(this.orders.count(ref)).isEqualTo(1);
    }

    // "twice-large" answers more than idempotency.max-response-size: nothing of it may be sent either.
    @ParameterizedTest
    @ValueSource(strings = {"twice", "twice-large"})
    void failedCommitAnswers503AndLeavesNeitherBusinessRowNorRecord(String endpoint) throws Exception {
        String ref = newRef();
        HttpResponse<byte[]> response = post("/orders/" + ref + "/" + endpoint, ref);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("store-unavailable")
                .contains("no effect")
                .doesNotContain("inserted twice");
        assertThat(this.orders.count(ref)).isZero();
        assertThat(records(ref)).isZero();
    }

    @Test
    void committedResponseLargerThanRecordedIsSentWholeAndItsRetryToldItCannotBeReplayed() throws Exception {
        String ref = newRef();
        HttpResponse<byte[]> first = post("/orders/" + ref + "/large", ref);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("inserted once ".repeat(200));
        HttpResponse<byte[]> retry = post("/orders/" + ref + "/large", ref);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(new String(retry.body(), StandardCharsets.UTF_8)).contains("response-not-replayable");
        assertThat(this.orders.count(ref)).isEqualTo(1);
    }

    /**
     * Sends a request that claims the key, writes its business row and then waits, its transaction open,
     * until the test releases it.
     */
    private CompletableFuture<HttpResponse<byte[]>> startAndHold(String ref) throws InterruptedException {
        this.endpoints.started = new CountDownLatch(1);
        this.endpoints.release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<byte[]>> first = HttpClient.newHttpClient()
                .sendAsync(request("/orders/" + ref, ref), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(this.endpoints.started.await(10, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    private void awaitClaimWaitingOnLock() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Integer waiting = this.jdbc.queryForObject(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'",
                    Integer.class,
                    SCHEMA);
            if (waiting != null && waiting > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("The duplicate's claim never waited on the first transaction's lock");
    }

    private static void execute(String sql) throws Exception {
        try (HikariDataSource admin = PostgresTestDatabase.createDataSource(1);
                Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * A pool whose connections work in this test's own schema and name themselves after it, so that lock
     * waits can be told apart from other test runs on the same server.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class PostgresSchema {

        @Bean(destroyMethod = "close")
        HikariDataSource dataSource() throws Exception {
            execute("CREATE SCHEMA " + SCHEMA);
            HikariDataSource dataSource = PostgresTestDatabase.createDataSource(10);
            dataSource.setSchema(SCHEMA);
            dataSource.addDataSourceProperty("ApplicationName", SCHEMA);
            return dataSource;
        }
    }
}
