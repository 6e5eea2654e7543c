package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.Idempotent;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import io.github.idempotency.testsupport.PostgresTestDatabase.ConnectionDetails;
import io.github.idempotency.testsupport.TcpProxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What an idempotent endpoint answers when the JDBC store's database goes away, over real HTTP: the
 * application reaches PostgreSQL through a {@link TcpProxy} that the tests cut (connections closed, new ones
 * refused) or stall (nothing gets through) and restore, with the pool and driver timeouts an application
 * should set. The server itself
 * is shared, so it is never stopped; the store's table is this run's own.
 */
@SpringBootTest(
        classes = JdbcStoreOutageIT.OutageTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "idempotency.store.type=jdbc",
            "idempotency.jdbc.initialize-schema=always",
            "idempotency.jdbc.purge-interval=0",
            "idempotency.store.timeout=2s",
            "idempotency.lease=" + JdbcStoreOutageIT.LEASE_SECONDS + "s",
            "spring.datasource.hikari.connection-timeout=1000",
            "spring.datasource.hikari.validation-timeout=500",
            "spring.datasource.hikari.maximum-pool-size=4"
        })
@ExtendWith(OutputCaptureExtension.class)
class JdbcStoreOutageIT {

    /** Long enough to outlast a cut and the pool's reconnection, short enough to wait out in a test. */
    static final int LEASE_SECONDS = 10;

    /** The longest an answer may take while the database is gone: the client gives up after it. */
    private static final Duration OUTAGE_ANSWER_BOUND = Duration.ofSeconds(10);

    /** How long the pool may take to connect again once the database is back. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(15);

    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?(/.*)");

    private static final String TABLE = PostgresTestDatabase.uniqueName("outage_record");

    private static ConnectionDetails postgres;

    private static TcpProxy proxy;

    private static String proxiedUrl;

    @BeforeAll
    static void startProxy() {
        postgres = PostgresTestDatabase.connectionDetails();
        Matcher url = POSTGRES_URL.matcher(postgres.url());
        assertThat(url.matches())
                .as("a single-host PostgreSQL URL: %s", postgres.url())
                .isTrue();
        int port = (url.group(2) != null) ? Integer.parseInt(url.group(2)) : 5432;
        proxy = TcpProxy.start(url.group(1), port);
        // socketTimeout bounds a read from a server that stopped answering, which the statement timeout cannot:
        // the driver cancels a statement through a new connection to the server, and the statement then waits
        // for that cancel, for up to cancelSignalTimeout (10s by default).
        String rest = url.group(3) + (url.group(3).contains("?") ? "&" : "?") + "socketTimeout=3&cancelSignalTimeout=1";
        proxiedUrl = "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + rest;
    }

    @AfterAll
    static void stopProxyAndDropTable() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        try (Connection connection =
                        DriverManager.getConnection(postgres.url(), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    @DynamicPropertySource
    static void dataSourceThroughProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> proxiedUrl);
        registry.add("spring.datasource.username", () -> postgres.username());
        registry.add("spring.datasource.password", () -> postgres.password());
        registry.add("idempotency.jdbc.table-name", () -> TABLE);
    }

    abstract static class OutageTests {

        @LocalServerPort
        int port;

        @Autowired
        OutageTestApplication.Transfers transfers;

        @Autowired
        HikariDataSource dataSource;

        TestHttpClient client;

        @BeforeEach
        void createClient() {
            this.client = new TestHttpClient(this.port);
        }

        @AfterEach
        void restoreDatabase() throws Exception {
            proxy.restore();
            // The pool learns that a connection from before the outage is dead only when a request borrows
            // it (and gets 503): the next test starts from fresh connections instead.
            this.dataSource.getHikariPoolMXBean().softEvictConnections();
            long deadline = System.nanoTime() + RECOVERY_BOUND.toNanos();
            while (true) {
                try (Connection connection = this.dataSource.getConnection()) {
                    return;
                } catch (SQLException notYet) {
                    // The pool waits between attempts to connect after failed ones; each try is bounded by
                    // its connection timeout.
                    assertThat(System.nanoTime()).as("pool reconnected").isLessThan(deadline);
                }
            }
        }

        HttpResponse<byte[]> post(String path, String key) throws Exception {
            return this.client.send(request(path, key));
        }

        CompletableFuture<HttpResponse<byte[]>> postAsync(String path, String key) {
            return this.client.sendAsync(request(path, key));
        }

        /** Sends a request again while its answer matches, until a deadline; returns the first that does not. */
        HttpResponse<byte[]> retryWhile(
                String path, String key, Predicate<HttpResponse<byte[]>> condition, Duration bound) throws Exception {
            long deadline = System.nanoTime() + bound.toNanos();
            HttpResponse<byte[]> response = post(path, key);
            while (condition.test(response)) {
                assertThat(System.nanoTime())
                        .as("still %d after %s", response.statusCode(), bound)
                        .isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(100);
                response = post(path, key);
            }
            return response;
        }

        private HttpRequest request(String path, String key) {
            // The client gives up after the bound: an answer that takes longer fails the test.
            return this.client
                    .request(path, key, null)
                    .timeout(OUTAGE_ANSWER_BOUND)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":100}"))
                    .build();
        }

        static void assertProblem(HttpResponse<byte[]> response, int status, String type) {
            assertThat(response.statusCode()).isEqualTo(status);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(body(response))
                    .contains("\"type\":\"https://idempotency-spring-boot-starter.github.io/problems/" + type + "\"")
                    .doesNotContain("Exception");
        }

        static String body(HttpResponse<byte[]> response) {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        static String newKey() {
            return "outage-" + UUID.randomUUID();
        }
    }

    @Nested
    @DirtiesContext
    class FailClosed extends OutageTests {

        @Test
        void databaseUnreachableAnswers503PromptlyWithoutRunningHandler() throws Exception {
            int runs = this.transfers.runs.get();
            proxy.cut();

            HttpResponse<byte[]> response = post("/transfers", newKey());

            assertProblem(response, 503, "store-unavailable");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(this.transfers.runs.get()).isEqualTo(runs);
        }

        @Test
        void databaseNotAnsweringAnswers503WithinSocketTimeoutWithoutRunningHandler() throws Exception {
            assertThat(post("/transfers", newKey()).statusCode()).isEqualTo(201);
            int runs = this.transfers.runs.get();
            proxy.stall();

            // A claim on a pooled connection waits for the socket timeout (3s); one that needs a new
            // connection, for the pool's connection timeout (1s).
            HttpResponse<byte[]> first = post("/transfers", newKey());
            HttpResponse<byte[]> second = post("/transfers", newKey());

            assertProblem(first, 503, "store-unavailable");
            assertProblem(second, 503, "store-unavailable");
            assertThat(this.transfers.runs.get()).isEqualTo(runs);
        }

        @Test
        void databaseBackAfterOutageServesSameKeyWithoutRestart() throws Exception {
            String key = newKey();
            int runs = this.transfers.runs.get();
            proxy.cut();
            assertThat(post("/transfers", key).statusCode()).isEqualTo(503);

            proxy.restore();

            HttpResponse<byte[]> first =
                    retryWhile("/transfers", key, (response) -> response.statusCode() == 503, RECOVERY_BOUND);
            HttpResponse<byte[]> retry = post("/transfers", key);
            assertThat(first.statusCode()).isEqualTo(201);
            assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
            assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(this.transfers.runs.get()).isEqualTo(runs + 1);
        }

        @Test
        void completionFailureSendsResponseKeepsKeyInProgressForLeaseThenRetryRunsAgain(CapturedOutput output)
                throws Exception {
            String key = newKey();
            int runs = this.transfers.runs.get();
            this.transfers.hold();
            long claimed = System.nanoTime();
            CompletableFuture<HttpResponse<byte[]>> held = postAsync("/transfers/held", key);
            assertThat(this.transfers.started.await(10, TimeUnit.SECONDS)).isTrue();
            proxy.cut();
            this.transfers.release.countDown();

            HttpResponse<byte[]> response = held.get();
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(body(response)).isEqualTo("{\"run\":" + (runs + 1) + "}");
            assertThat(output).contains("with idempotency key '" + key + "' could not be recorded");

            proxy.restore();
            HttpResponse<byte[]> inProgress =
                    retryWhile("/transfers/held", key, (retry) -> retry.statusCode() == 503, RECOVERY_BOUND);
            assertProblem(inProgress, 409, "in-progress");
            assertThat(inProgress.headers().firstValue("Retry-After")).isPresent();

            // Once the lease has expired, the claim counts as abandoned and is taken over (TAKE_OVER).
            HttpResponse<byte[]> afterLease = retryWhile(
                    "/transfers/held",
                    key,
                    (retry) -> retry.statusCode() == 409,
                    Duration.ofSeconds(LEASE_SECONDS + 10));
            assertThat(System.nanoTime() - claimed).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(LEASE_SECONDS));
            assertThat(afterLease.statusCode()).isEqualTo(201);
            assertThat(afterLease.headers().firstValue("Idempotent-Replayed")).isEmpty();
            assertThat(this.transfers.runs.get()).isEqualTo(runs + 2);
        }
    }

    @Nested
    @DirtiesContext
    @TestPropertySource(properties = "idempotency.store.failure-mode=fail-open")
    class FailOpen extends OutageTests {

        @Test
        void databaseUnreachableRunsHandlerUnprotectedAndWarnsOnceForTheOutage(CapturedOutput output) throws Exception {
            String key = newKey();
            int runs = this.transfers.runs.get();
            proxy.cut();

            HttpResponse<byte[]> first = post("/transfers", key);
            HttpResponse<byte[]> second = post("/transfers", key);

            assertThat(first.statusCode()).isEqualTo(201);
            assertThat(second.statusCode()).isEqualTo(201);
            assertThat(this.transfers.runs.get()).isEqualTo(runs + 2);
            String warning = "FAIL_OPEN: operations run unprotected while it fails) is failing";
            assertThat(output.getOut().lines().filter((line) -> line.contains(" WARN ") && line.contains(warning)))
                    .hasSize(1);
        }
    }

    /**
     * One idempotent endpoint that counts its runs, and one that waits for the test between starting and
     * answering. No authentication: every caller is anonymous.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class OutageTestApplication {

        @Bean
        SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
            return http.csrf((csrf) -> csrf.disable())
                    .authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
                    .build();
        }

        @RestController
        static class Transfers {

            final AtomicInteger runs = new AtomicInteger();

            volatile CountDownLatch started = new CountDownLatch(1);

            volatile CountDownLatch release = new CountDownLatch(1);

            void hold() {
                this.started = new CountDownLatch(1);
                this.release = new CountDownLatch(1);
            }

            @PostMapping("/transfers")
            @Idempotent
            ResponseEntity<Map<String, Integer>> transfer(@RequestBody String body) {
                return ResponseEntity.status(201).body(Map.of("run", this.runs.incrementAndGet()));
            }

            @PostMapping("/transfers/held")
            @Idempotent
            ResponseEntity<Map<String, Integer>> heldTransfer(@RequestBody String body) throws InterruptedException {
                int run = this.runs.incrementAndGet();
                this.started.countDown();
                if (!this.release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("The test never released the held transfer");
                }
                return ResponseEntity.status(201).body(Map.of("run", run));
            }
        }
    }
}
