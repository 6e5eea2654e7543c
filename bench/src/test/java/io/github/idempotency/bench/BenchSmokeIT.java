package io.github.idempotency.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.testsupport.PostgresTestDatabase;
import io.github.idempotency.testsupport.RedisTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The benchmark harness in smoke mode, so that it never rots: every application variant answers, replays
 * and counts its round trips; the floor harness and the JMH benchmarks run briefly; the report renders.
 * Nothing here judges speed, and wrk is not needed. PostgreSQL and Redis are found as the starter's tests
 * find them ({@link PostgresTestDatabase}, {@link RedisTestServer}).
 */
class BenchSmokeIT {

    private static final PostgresTestDatabase.ConnectionDetails POSTGRES = PostgresTestDatabase.connectionDetails();

    private static final String JDBC_URL = POSTGRES.url();

    private static final String JDBC_USERNAME = (POSTGRES.username() != null) ? POSTGRES.username() : "";

    private static final String JDBC_PASSWORD = (POSTGRES.password() != null) ? POSTGRES.password() : "";

    private static final String REDIS_URL = RedisTestServer.url();

    /** The body bench/wrk/orders.lua sends. */
    private static final String BODY =
            "{\"customer\":\"customer-0042\",\"amount\":5000,\"currency\":\"USD\",\"items\":["
                    + "{\"sku\":\"sku-1\",\"quantity\":2},{\"sku\":\"sku-2\",\"quantity\":1},{\"sku\":\"sku-3\",\"quantity\":5}]}";

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void plainEndpointRunsItsHandlerForEveryRequest() throws Exception {
        try (ConfigurableApplicationContext context = startPlain()) {
            String key = UUID.randomUUID().toString();
            // Forgets the statements that created the by-hand work's table at startup.
            stats(context);
            assertThat(post(context, "/orders", key).headers().firstValue("Idempotent-Replayed"))
                    .isEmpty();
            assertThat(post(context, "/orders", key).headers().firstValue("Idempotent-Replayed"))
                    .isEmpty();
            assertThat(stats(context))
                    .startsWith("round_trips=0 commits=0 handler_runs=2 served=2 jit_ms=")
                    .matches(".* server_p50_us=[1-9][0-9]* store_p50_us=0");
        }
    }

    @Test
    void plainApplicationDoesEachStoresFloorWorkByHandAroundTheSameHandler() throws Exception {
        try (ConfigurableApplicationContext context = startPlain()) {
            String key = UUID.randomUUID().toString();
            HttpResponse<String> plain = post(context, "/orders", key);
            stats(context);
            HttpResponse<String> postgres = post(context, "/by-hand/postgres/orders", key);
            // Both handlers count their orders from 1.
            assertThat(postgres.body()).isEqualTo(plain.body());
            // The floor's claim and completion, each autocommitted.
            assertThat(stats(context))
                    .startsWith("round_trips=2 commits=0 handler_runs=1 served=1 ")
                    .matches(".* server_p50_us=[1-9][0-9]* store_p50_us=[1-9][0-9]*");
            post(context, "/by-hand/redis/orders", key);
            assertThat(stats(context)).startsWith("round_trips=0 commits=0 handler_runs=1 served=1 ");
            // The floor claims a new key, or fails: the by-hand work did reach each store.
            assertThat(send(context, "/by-hand/postgres/orders", key).statusCode())
                    .isEqualTo(500);
            assertThat(send(context, "/by-hand/redis/orders", key).statusCode()).isEqualTo(500);
        }
    }

    @Test
    void inMemoryStoreReplaysWithoutRunningTheHandler() throws Exception {
        try (ConfigurableApplicationContext context =
                start("--bench.idempotent=true", "--idempotency.store.type=memory")) {
            assertRoundTrips(context, 0, 0);
        }
    }

    @Test
    void jdbcStoreTakesTwoRoundTripsForAFirstExecutionAndOneForAReplay() throws Exception {
        try (ConfigurableApplicationContext context = startJdbc()) {
            assertRoundTrips(context, 2, 1);
            // Off for a run and on again, as run.sh measures it; requests are answered either way.
            assertThat(postEmpty(context, "/bench/statement-timeout?enabled=false"))
                    .isEqualTo("statement_timeout=PT0S");
            assertRoundTrips(context, 2, 1);
            assertThat(postEmpty(context, "/bench/statement-timeout?enabled=true"))
                    .isEqualTo("statement_timeout=PT2S");
        }
    }

    @Test
    void jdbcStoreSwitchesItsClaimCommitAndAnswersEitherWay() throws Exception {
        try (ConfigurableApplicationContext context = startJdbc()) {
            assertThat(postEmpty(context, "/bench/claim-commit?mode=ASYNC")).isEqualTo("claim_commit=ASYNC");
            assertRoundTrips(context, 2, 1);
            assertThat(postEmpty(context, "/bench/claim-commit?mode=SYNC")).isEqualTo("claim_commit=SYNC");
        }
    }

    @Test
    void transactionalEndpointsCountTheirStatementsAndCommits() throws Exception {
        try (ConfigurableApplicationContext context = startJdbc()) {
            String key = UUID.randomUUID().toString();
            stats(context);
            // The business row, then the commit.
            post(context, "/tx/plain/orders", key);
            assertThat(stats(context)).startsWith("round_trips=2 commits=1 handler_runs=1 served=1 ");
            // The claim, the business row, the record, and still one commit: both join one transaction.
            for (String path : new String[] {"/tx/method/orders", "/tx/http/orders"}) {
                String ref = UUID.randomUUID().toString();
                HttpResponse<String> first = post(context, path, ref);
                assertThat(stats(context)).startsWith("round_trips=4 commits=1 handler_runs=1 served=1 ");
                assertThat(post(context, path, ref).body()).isEqualTo(first.body());
                assertThat(stats(context)).contains(" handler_runs=0 served=1 ");
            }
        }
    }

    @Test
    void redisStoreOnJedisAnswersAndReplays() throws Exception {
        try (ConfigurableApplicationContext context = start(
                "--bench.idempotent=true",
                "--idempotency.store.type=redis",
                "--spring.data.redis.client-type=jedis",
                "--spring.data.redis.url=" + REDIS_URL)) {
            assertThat(context.getBean(RedisConnectionFactory.class)).isInstanceOf(JedisConnectionFactory.class);
            // Jedis offers no command listener: its round trips are not counted.
            assertRoundTrips(context, 0, 0);
        }
    }

    @Test
    void redisApplicationMeasuresTheFloorOnRawSockets() throws Exception {
        try (ConfigurableApplicationContext context = start(
                "--bench.idempotent=true", "--idempotency.store.type=redis", "--spring.data.redis.url=" + REDIS_URL)) {
            assertFloorMeasured(context, "redis-raw");
        }
    }

    @Test
    void jdbcApplicationMeasuresTheFloorWithPgjdbcSettings() throws Exception {
        try (ConfigurableApplicationContext context = startJdbc()) {
            assertFloorMeasured(context, "postgres-timeout");
            assertFloorMeasured(context, "postgres-unprepared");
        }
    }

    private void assertFloorMeasured(ConfigurableApplicationContext context, String store) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        uri(context, "/bench/floor?store=" + store + "&threads=1,2&warmup-ms=500&measure-ms=300"))
                .build();
        assertThat(this.client
                        .send(request, HttpResponse.BodyHandlers.ofString())
                        .body()
                        .lines())
                .hasSize(2)
                .allSatisfy((line) -> assertThat(line)
                        .startsWith("FLOOR store=" + store + " ")
                        .doesNotContain("ops=0 "));
    }

    @Test
    void physicalFloorScriptsRunTheJdbcStoresStatementsThroughPgbenchVariables(@TempDir Path directory)
            throws Exception {
        PhysicalFloorScripts.write(directory, 1_000_000);
        for (String mode : new String[] {"sync", "async"}) {
            String script = Files.readString(directory.resolve("pgbench-" + mode + ".sql"));
            assertThat(script)
                    .startsWith("\\set key random(")
                    .contains("INSERT INTO bench_idempotency_record")
                    .contains(
                            "VALUES (:scope, :key, :fingerprint, 'IN_PROGRESS', :token, :lease_end, :lease_end, :now,")
                    .contains("owner_token = :token AND status = 'IN_PROGRESS';")
                    .doesNotContain("?");
        }
        assertThat(Files.readString(directory.resolve("pgbench-async.sql"))).contains("synchronous_commit");
        assertThat(Files.readString(directory.resolve("pgbench-defines")).split("\0"))
                .contains("lease_end=1060000", "now=1000000", "status=201", "omitted=false")
                .anySatisfy((define) -> assertThat(define).startsWith("body=\\x7b22"));
        assertThat(Files.readString(directory.resolve("redis.txt")))
                .startsWith("record_bytes=")
                .contains(" lease_ms=60000 ttl_ms=600000");
        assertThat(Files.readString(directory.resolve("redis-complete.lua"))).contains("redis.call");
    }

    @Test
    void redisStoreTakesTwoRoundTripsForAFirstExecutionAndOneForAReplay() throws Exception {
        try (ConfigurableApplicationContext context = start(
                "--bench.idempotent=true", "--idempotency.store.type=redis", "--spring.data.redis.url=" + REDIS_URL)) {
            assertRoundTrips(context, 2, 1);
        }
    }

    @Test
    void floorHarnessMeasuresPostgresql() throws Exception {
        assertThat(floor(
                        "postgres",
                        "--jdbc-url=" + JDBC_URL,
                        "--jdbc-username=" + JDBC_USERNAME,
                        "--jdbc-password=" + JDBC_PASSWORD))
                .hasSize(2)
                .allSatisfy((line) ->
                        assertThat(line).startsWith("FLOOR store=postgres").doesNotContain("ops=0 "));
    }

    @Test
    void floorHarnessMeasuresRedis() throws Exception {
        assertThat(floor("redis", "--redis-url=" + REDIS_URL))
                .hasSize(2)
                .allSatisfy((line) ->
                        assertThat(line).startsWith("FLOOR store=redis").doesNotContain("ops=0 "));
    }

    @Test
    void memoryStoreFootprintMeasuresItsRecords() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MemoryStoreFootprint.measure(2000, new PrintStream(out, true, StandardCharsets.UTF_8));
        String line = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(line).startsWith("FOOTPRINT records=2000 body_bytes=105 bytes_per_record=");
        // Each record holds its 105-byte body and more: less would mean the heap was not measured as it stays.
        assertThat(Long.parseLong(line.substring(line.lastIndexOf('=') + 1))).isGreaterThan(105);
    }

    @Test
    void jmhBenchmarksRun() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include("io\\.github\\.idempotency\\.web\\..*Benchmark.*")
                        .param("bodySize", "1024")
                        .forks(0)
                        .warmupIterations(0)
                        .measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(20))
                        .build())
                .run();
        // Two key parsing and seven web path benchmarks.
        assertThat(results).hasSize(9);
    }

    @Test
    void methodBenchmarkRunsOnTheInMemoryStore() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include("io\\.github\\.idempotency\\.bench\\.IdempotentMethodBenchmark")
                        .param("store", "memory")
                        .forks(0)
                        .warmupIterations(0)
                        .measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(20))
                        .build())
                .run();
        // Plain, first and replayed calls.
        assertThat(results).hasSize(3);
    }

    @Test
    void reportRendersTheResultsOfRunSh(@TempDir Path results) throws Exception {
        List<String> http = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            for (String variant : new String[] {"plain", "memory", "jdbc", "redis"}) {
                boolean plain = variant.equals("plain");
                for (String mode : new String[] {"new", "replay"}) {
                    // Round 2 is slower: every ratio is taken within its round.
                    int rps = plain ? 1000 : 1000 - 100 * round;
                    int p50 = plain ? 100 : 100 + 200 * round;
                    http.add(httpLine(round, variant, mode, 16, rps, p50, 0));
                    http.add(httpLine(round, variant, mode, 1, rps, p50, plain ? 0 : (200 * round - 50)));
                }
            }
            http.add(httpLine(round, "by-hand-postgres", "new", 1, 1000, 40 + 210 * round, 200 * round - 100));
            http.add(httpLine(round, "jdbc-no-timeout", "new", 1, 1000, 100 + 180 * round, 200 * round - 80));
            http.add(httpLine(round, "jdbc-async", "new", 16, 1200, 0, 0));
            http.add(httpLine(round, "jdbc-async", "new", 1, 1200, 100 + 100 * round, 100 * round));
            // The business row and a commit; through the method front door, the claim and record as well.
            http.add(transactionalLine(round, "tx-plain", 1000, 2000));
            http.add(transactionalLine(round, "tx-method", 950, 4000));
        }
        Files.write(results.resolve("http.txt"), http);
        Files.write(results.resolve("machine.txt"), List.of("cores=2"));
        Files.write(
                results.resolve("flush.txt"),
                List.of(
                        "FLUSH mode=SYNC connections=1 requests=100 window_s=15 wal_sync=215 wal_write=0 wal_records=0",
                        "FLUSH mode=ASYNC connections=1 requests=100 window_s=15 wal_sync=115 wal_write=0 wal_records=0",
                        "FLUSH mode=none connections=0 requests=0 window_s=15 wal_sync=15 wal_write=0 wal_records=0"));
        Files.write(
                results.resolve("footprint.txt"),
                List.of("FOOTPRINT records=200000 body_bytes=100 bytes_per_record=511"));
        Files.write(
                results.resolve("warmup.txt"),
                List.of("WARMUP variant=jdbc path=/orders seconds=45 last_chunk_jit_ms=120 quiet=true"));
        Files.write(
                results.resolve("floor.txt"),
                List.of(
                        "FLOOR round=1 store=postgres threads=1 ops=100 ops_per_s=1000 p50_us=500.0 p99_us=900.0",
                        "FLOOR round=2 store=postgres threads=1 ops=100 ops_per_s=1000 p50_us=400.0 p99_us=900.0",
                        "FLOOR round=1 store=redis threads=1 ops=100 ops_per_s=5000 p50_us=100.0 p99_us=300.0",
                        "FLOOR round=1 store=pgbench-sync threads=1 ops=400 ops_per_s=400 p50_us=250 p99_us=900 cpu_client_ms=100 cpu_postgres_ms=300",
                        "FLOOR round=2 store=pgbench-sync threads=1 ops=500 ops_per_s=500 p50_us=200 p99_us=900 cpu_client_ms=100 cpu_postgres_ms=300",
                        "FLOOR round=1 store=pgbench-sync threads=16 ops=500 ops_per_s=500 p50_us=900 p99_us=2000 cpu_client_ms=100 cpu_postgres_ms=400",
                        "FLOOR round=2 store=pgbench-sync threads=16 ops=500 ops_per_s=500 p50_us=900 p99_us=2000 cpu_client_ms=100 cpu_postgres_ms=400"));
        Files.write(
                results.resolve("jmh.csv"),
                List.of(
                        "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: bodySize\"",
                        "\"io.github.idempotency.web.WebPathBenchmark.plainExecution\",\"avgt\",1,3,1000.0,10.0,\"ns/op\",65536",
                        "\"io.github.idempotency.web.WebPathBenchmark.plainExecution:gc.alloc.rate.norm\",\"avgt\",1,3,4000.0,1.0,\"B/op\",65536",
                        "\"io.github.idempotency.web.WebPathBenchmark.firstExecution\",\"avgt\",1,3,3000.0,10.0,\"ns/op\",65536",
                        "\"io.github.idempotency.web.WebPathBenchmark.firstExecution:gc.alloc.rate.norm\",\"avgt\",1,3,135072.0,1.0,\"B/op\",65536"));
        String report = BenchReport.render(results);
        assertThat(report)
                // Medians over the rounds; ratios and differences taken within each round, with their range.
                .contains("| `@Idempotent` | PostgreSQL | new | 850 | 0.85 (0.80 to 0.90) | 400 | 900 | 300 "
                        + "| 0.70 (0.40 to 1.00) | 2.00 | 1.00 | 0 |")
                .contains("| PostgreSQL | 1 | 1000 | 450 | 900 |")
                .contains("| firstExecution | 64 KiB | 131072 | 1.00 |  |")
                .contains("| round trips ≤ 1 (Redis, replay keys) | 2.00 | **no** |")
                .contains("| in-memory ≥ 90 % of plain req/s (new keys) | 0.85 (0.80 to 0.90) | **no** |")
                .contains("| jdbc | `/orders` | 45 | 120 | yes |")
                .contains("| 200000 | 100 | 511 |")
                .contains(
                        "| PostgreSQL | 450 | 255 | 0.60 (0.30 to 0.90) | 300 | 0.70 (0.40 to 1.00) | +45 (+40 to +50) |")
                // At 1 connection: wrk's p50, the server's, the store calls', and the server's less the store calls.
                .contains("| plain | none | new | 100 | 80 |  |  |")
                .contains("| by hand | PostgreSQL | new | 355 | 335 | 200 | 135 |")
                .contains("| `@Idempotent` | PostgreSQL | new | 400 | 380 | 250 | 130 |")
                // The JDBC application with its statement timeout off, against the same floor and by-hand work.
                .contains("| PostgreSQL, no statement timeout | 450 | 255 | 0.60 (0.30 to 0.90) | 270 "
                        + "| 0.63 (0.36 to 0.90) | +15 (+0 to +30) |")
                .contains("| `@Idempotent` | PostgreSQL, no statement timeout | new | 370 | 350 | 220 | 130 |")
                // The physical floor, measured by pgbench in each round, with the machine's CPU per pair.
                .contains(
                        "| PostgreSQL | pgbench (C, libpq), prepared: claim + completion | 1 | 450 | 225 | 900 | 900 |")
                .contains("| PostgreSQL | pgbench-sync | 225 | 300 | 1.40 (0.80 to 2.00) |")
                .contains("pgjdbc + Hikari ÷ pgbench 2.00 (2.00 to 2.00).")
                .contains("| added latency ≤ 1.5 × physical floor (PostgreSQL, new keys, 1 connection) "
                        + "| 300 µs = 1.40 (0.80 to 2.00) × pgbench-sync | yes |")
                // Bound: min(500 pairs/s, 2 cores ÷ (1 ms per plain request + 1 ms per pair)).
                .contains("| PostgreSQL | 1000 | 1000 | 500 | 500 | 850 | 850 | 1.70 (1.60 to 1.80) |")
                // WAL flushes less the quiet window's, per request.
                .contains("| SYNC | 850 | 1.00 (1.00 to 1.00) | 400 | 300 | 2.00 |  |")
                .contains("| ASYNC | 1200 | 1.42 (1.33 to 1.50) | 250 | 150 | 1.00 |  |")
                .contains("| plain, `@Transactional` | 1000 | 1 | 1000 | 1 | 1000 | 0 | 1.00 | 1.00 |  |  | 0 |")
                .contains(
                        "| 950 | 0.95 (0.95 to 0.95) | 950 | 0.95 (0.95 to 0.95) | 950 | 0 | 3.00 | 1.00 | +2.00 | +0.00 | 0 |")
                .contains("| at most 2 extra statements (method front door, joined) | +2.00 statements / req | yes |")
                .contains(
                        "| req/s at 16 connections ≥ 0.9 × the plain transactional endpoint (method front door, joined) "
                                + "| 0.95 (0.95 to 0.95) | yes |");
    }

    private static String httpLine(
            int round, String variant, String mode, int connections, int rps, int p50, int storeP50Micros) {
        return "HTTP round=" + round + " variant=" + variant + " mode=" + mode + " connections=" + connections
                + " requests=1000 duration_us=1000000 rps=" + rps + ".0 p50_us=" + p50
                + " p99_us=900 non2xx=0 not_replayed=0 socket_errors=0 round_trips=2000 handler_runs="
                + ((mode.equals("new") || variant.equals("plain")) ? 1000 : 0) + " served=1000 server_p50_us="
                + (p50 - 20) + " store_p50_us=" + storeP50Micros + " cpu_app_ms=" + rps
                + " cpu_client_ms=0 cpu_postgres_ms=0";
    }

    private static String transactionalLine(int round, String variant, int rps, int roundTrips) {
        return "HTTP round=" + round + " variant=" + variant + " mode=new connections=16 requests=1000 "
                + "duration_us=1000000 rps=" + rps + ".0 p50_us=0 p99_us=0 non2xx=0 not_replayed=0 socket_errors=0 "
                + "round_trips=" + roundTrips + " commits=1000 handler_runs=1000 served=1000 server_p50_us=0 "
                + "store_p50_us=0 cpu_app_ms=" + rps + " cpu_client_ms=0 cpu_postgres_ms=0";
    }

    private void assertRoundTrips(ConfigurableApplicationContext context, int firstExecution, int replay)
            throws Exception {
        String key = UUID.randomUUID().toString();
        stats(context);
        HttpResponse<String> first = post(context, key);
        assertThat(first.statusCode()).isEqualTo(201);
        // The store's calls are timed: any request that made one has a store time of at least a bucket's middle.
        assertThat(stats(context))
                .startsWith("round_trips=" + firstExecution + " commits=0 handler_runs=1 served=1 jit_ms=")
                .matches(".* server_p50_us=[1-9][0-9]* store_p50_us=[1-9][0-9]*");
        HttpResponse<String> replayed = post(context, key);
        assertThat(replayed.statusCode()).isEqualTo(201);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replayed.body()).isEqualTo(first.body());
        assertThat(stats(context)).matches("round_trips=" + replay + " commits=0 handler_runs=0 served=1 jit_ms=.*");
    }

    private ConfigurableApplicationContext start(String... args) {
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.add("--server.port=0");
        return new SpringApplicationBuilder(BenchApplication.class).run(arguments.toArray(String[]::new));
    }

    private ConfigurableApplicationContext startJdbc() {
        return start(
                "--bench.idempotent=true",
                "--idempotency.store.type=jdbc",
                "--spring.datasource.url=" + JDBC_URL,
                "--spring.datasource.username=" + JDBC_USERNAME,
                "--spring.datasource.password=" + JDBC_PASSWORD);
    }

    private ConfigurableApplicationContext startPlain() {
        return start(
                "--idempotency.enabled=false",
                "--spring.datasource.url=" + JDBC_URL,
                "--spring.datasource.username=" + JDBC_USERNAME,
                "--spring.datasource.password=" + JDBC_PASSWORD,
                "--spring.data.redis.url=" + REDIS_URL);
    }

    private HttpResponse<String> post(ConfigurableApplicationContext context, String key) throws Exception {
        return post(context, "/orders", key);
    }

    private HttpResponse<String> post(ConfigurableApplicationContext context, String path, String key)
            throws Exception {
        HttpResponse<String> response = send(context, path, key);
        assertThat(response.statusCode()).isEqualTo(201);
        return response;
    }

    private HttpResponse<String> send(ConfigurableApplicationContext context, String path, String key)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(context, path))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        return this.client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String postEmpty(ConfigurableApplicationContext context, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(context, path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return this.client
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body()
                .trim();
    }

    private String stats(ConfigurableApplicationContext context) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(uri(context, "/bench/stats")).build();
        return this.client
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body()
                .trim();
    }

    private static URI uri(ConfigurableApplicationContext context, String path) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
    }

    private static List<String> floor(String store, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(store, "--threads=1,2", "--warmup-ms=100", "--measure-ms=300"));
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FloorHarness.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
