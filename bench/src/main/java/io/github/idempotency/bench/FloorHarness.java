package io.github.idempotency.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaInitializer;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.store.jdbc.JdbcStoreStatements;
import io.github.idempotency.store.redis.RedisStoreCommands;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Measures a store's floor: the bare store work of one idempotent request, claim and completion, with the
 * same driver, pool settings, statements and values as the store, and nothing of the starter around it.
 * <ul>
 * <li>{@code postgres}: the store's claim ({@code INSERT ... ON CONFLICT DO NOTHING} CTE) and completion
 * {@code UPDATE}, each autocommitted on a connection borrowed from a Hikari pool with Spring Boot's
 * defaults, as {@code JdbcTemplate} does;</li>
 * <li>{@code redis}: {@code SET key value NX PX lease} and the store's completion script by
 * {@code EVALSHA}, on one Lettuce connection shared by all threads, as Spring Data Redis shares it.</li>
 * </ul>
 * Prints one {@code FLOOR key=value...} line per thread count: operations per second and the p50 and p99
 * of one operation in microseconds.
 *
 * <p>Arguments: {@code postgres|redis} then optional {@code --threads=1,16 --warmup-ms=2000
 * --measure-ms=5000 --gap-us=0 --jdbc-url=... --jdbc-username=... --redis-url=...}. A gap keeps the thread
 * busy between claim and completion, as a handler would; the result line names it.
 */
public final class FloorHarness {

    static final String TABLE = "bench_idempotency_record";

    static final String SCOPE = "anonymous POST /orders";

    static final long LEASE_MILLIS = 60_000;

    static final long TTL_MILLIS = 600_000;

    private final Map<String, String> options;

    FloorHarness(Map<String, String> options) {
        this.options = options;
    }

    /**
     * Runs the harness.
     * @param args the store, then options
     * @throws Exception if the store cannot be reached
     */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    /**
     * Runs the harness, printing to {@code out}.
     * @param args the store, then options
     * @param out where the result lines go
     * @throws Exception if the store cannot be reached
     */
    public static void run(String[] args, PrintStream out) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            int equals = arg.indexOf('=');
            options.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        FloorHarness harness = new FloorHarness(options);
        harness.measure(args[0], harness.standaloneFloor(args[0]), out);
    }

    private Floor standaloneFloor(String store) {
        return switch (store) {
            case "postgres" -> {
                HikariDataSource dataSource = new HikariDataSource();
                dataSource.setJdbcUrl(option("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test"));
                dataSource.setUsername(option("jdbc-username", "postgres"));
                dataSource.setPassword(option("jdbc-password", ""));
                new JdbcIdempotencySchemaInitializer(dataSource, TABLE, DatabaseInitializationMode.ALWAYS)
                        .initializeDatabase();
                new JdbcTemplate(dataSource).execute("TRUNCATE TABLE " + TABLE);
                yield new PostgresFloor(dataSource, dataSource::close, 0);
            }
            case "redis" -> {
                RedisClient client = RedisClient.create(option("redis-url", "redis://127.0.0.1:6379"));
                yield new RedisFloor(client, client::shutdown);
            }
            default -> throw new IllegalArgumentException("Unknown store '" + store + "': postgres or redis");
        };
    }

    /**
     * Measures a floor at each thread count of the options, printing a result line for each, then closes it.
     * @param store the store's name for the result lines
     * @param floor the store work to measure
     * @param out where the result lines go
     * @throws Exception if the store fails
     */
    void measure(String store, Floor floor, PrintStream out) throws Exception {
        try (floor) {
            long warmup = Long.parseLong(option("warmup-ms", "2000"));
            long measure = Long.parseLong(option("measure-ms", "5000"));
            long gapNanos = Long.parseLong(option("gap-us", "0")) * 1000;
            String run = Long.toString(System.currentTimeMillis(), 36);
            for (String threads : option("threads", "1,16").split(",")) {
                Result result =
                        measure(floor, Integer.parseInt(threads), warmup, measure, gapNanos, run + "-" + threads);
                out.printf(
                        "FLOOR store=%s threads=%s gap_us=%d ops=%d ops_per_s=%.0f p50_us=%.1f p99_us=%.1f%n",
                        store,
                        threads,
                        gapNanos / 1000,
                        result.latencies.length,
                        result.latencies.length * 1000.0 / measure,
                        percentile(result.latencies, 50) / 1000.0,
                        percentile(result.latencies, 99) / 1000.0);
            }
        }
    }

    private Result measure(Floor floor, int threads, long warmupMillis, long measureMillis, long gapNanos, String run)
            throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmupMillis * 1_000_000;
        long end = measureFrom + measureMillis * 1_000_000;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                String prefix = "floor-" + run + "-" + thread + "-";
                futures.add(executor.submit(() -> loop(floor, prefix, measureFrom, end, gapNanos)));
            }
            List<long[]> perThread = new ArrayList<>();
            for (Future<long[]> future : futures) {
                perThread.add(future.get());
            }
            long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
            Arrays.sort(all);
            return new Result(all);
        } finally {
            executor.shutdownNow();
        }
    }

    private static long[] loop(Floor floor, String prefix, long measureFrom, long end, long gapNanos) throws Exception {
        long[] latencies = new long[1024];
        int count = 0;
        for (long n = 0; ; n++) {
            long before = System.nanoTime();
            if (before >= end) {
                break;
            }
            floor.claimAndComplete(prefix + n, gapNanos);
            if (before >= measureFrom) {
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = System.nanoTime() - before;
            }
        }
        return Arrays.copyOf(latencies, count);
    }

    /** Spins rather than sleeps: a handler keeps its thread on the CPU. */
    private static void busy(long nanos) {
        long until = System.nanoTime() + nanos;
        while (nanos > 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    private String option(String name, String defaultValue) {
        return this.options.getOrDefault(name, defaultValue);
    }

    /**
     * What the benchmark application's endpoint answers, as the store records it.
     */
    static StoredResponse orderResponse() {
        String json = "{\"id\":123456,\"customer\":\"customer-0042\",\"amount\":5000,\"currency\":\"USD\","
                + "\"itemCount\":3,\"status\":\"ACCEPTED\"}";
        return new StoredResponse(
                201,
                List.of(
                        new StoredResponse.Header("Content-Type", "application/json"),
                        new StoredResponse.Header("Location", "/orders/123456")),
                json.getBytes(StandardCharsets.UTF_8),
                false);
    }

    /** A SHA-256 in hex, as long as a real fingerprint. */
    static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private record Result(long[] latencies) {}

    /**
     * The store work of one request.
     */
    interface Floor extends AutoCloseable {

        /**
         * Claims a new key, as the store's claim does.
         * @param key the key, never used before
         * @return the claim's token
         * @throws Exception if the store fails or the key was taken
         */
        ClaimToken claim(String key) throws Exception;

        /**
         * Completes a claim with the benchmark's response, as the store's completion does.
         * @param key the claimed key
         * @param token the claim's token
         * @throws Exception if the store fails or the claim was lost
         */
        void complete(String key, ClaimToken token) throws Exception;

        default void claimAndComplete(String key, long gapNanos) throws Exception {
            ClaimToken token = claim(key);
            busy(gapNanos);
            complete(key, token);
        }
    }

    /**
     * The PostgreSQL floor, on a pool whose table exists.
     */
    static final class PostgresFloor implements Floor {

        private final DataSource dataSource;

        private final Runnable onClose;

        private final String claimSql;

        private final String completeSql;

        private final String scopeHash = JdbcStoreStatements.scopeHash(SCOPE);

        private final StoredResponse response = orderResponse();

        private final String headers = this.response.encodeHeaders();

        private final int queryTimeoutSeconds;

        /**
         * Creates the floor.
         * @param dataSource the pool, whose table {@value #TABLE} exists
         * @param onClose what closing the floor does, such as closing a pool of its own
         * @param queryTimeoutSeconds the statements' timeout, as the store sets it; 0 for none
         */
        PostgresFloor(DataSource dataSource, Runnable onClose, int queryTimeoutSeconds) {
            this.dataSource = dataSource;
            this.onClose = onClose;
            this.queryTimeoutSeconds = queryTimeoutSeconds;
            JdbcStoreStatements statements = new JdbcStoreStatements(new JdbcIdempotencyStore(
                    new JdbcTemplate(dataSource), TABLE, Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER));
            this.claimSql = statements.claim();
            this.completeSql = statements.complete();
        }

        @Override
        public ClaimToken claim(String key) throws SQLException {
            long now = System.currentTimeMillis();
            ClaimToken token = ClaimToken.random();
            // Two borrows, as JdbcTemplate makes outside a transaction.
            try (Connection connection = this.dataSource.getConnection();
                    PreparedStatement claim = connection.prepareStatement(this.claimSql)) {
                applyQueryTimeout(claim);
                claim.setString(1, this.scopeHash);
                claim.setString(2, key);
                claim.setString(3, FINGERPRINT);
                claim.setString(4, token.value());
                claim.setLong(5, now + LEASE_MILLIS);
                claim.setLong(6, now + LEASE_MILLIS);
                claim.setLong(7, now);
                claim.setString(8, this.scopeHash);
                claim.setString(9, key);
                try (ResultSet resultSet = claim.executeQuery()) {
                    if (!resultSet.next() || resultSet.getLong(1) != 1) {
                        throw new IllegalStateException("Floor claim of a new key did not insert: " + key);
                    }
                }
            }
            return token;
        }

        @Override
        public void complete(String key, ClaimToken token) throws SQLException {
            long now = System.currentTimeMillis();
            try (Connection connection = this.dataSource.getConnection();
                    PreparedStatement complete = connection.prepareStatement(this.completeSql)) {
                applyQueryTimeout(complete);
                complete.setLong(1, now + TTL_MILLIS);
                complete.setInt(2, this.response.status());
                complete.setString(3, this.headers);
                complete.setBytes(4, this.response.body());
                complete.setBoolean(5, false);
                complete.setString(6, this.scopeHash);
                complete.setString(7, key);
                complete.setString(8, token.value());
                if (complete.executeUpdate() != 1) {
                    throw new IllegalStateException("Floor completion did not update: " + key);
                }
            }
        }

        /** pgjdbc schedules a cancel task on its timer for every statement that has a timeout. */
        private void applyQueryTimeout(PreparedStatement statement) throws SQLException {
            if (this.queryTimeoutSeconds > 0) {
                statement.setQueryTimeout(this.queryTimeoutSeconds);
            }
        }

        @Override
        public void close() {
            this.onClose.run();
        }
    }

    /**
     * The Redis floor, on a connection of its own from a client, shared by all threads.
     */
    static final class RedisFloor implements Floor {

        private final Runnable onClose;

        private final StatefulRedisConnection<byte[], byte[]> connection;

        private final RedisCommands<byte[], byte[]> commands;

        private final String completeSha;

        private final byte[] tail = RedisStoreCommands.completedTail(orderResponse());

        private final byte[] ttl = Long.toString(TTL_MILLIS).getBytes(StandardCharsets.US_ASCII);

        private final String keyPrefix = "bench-idempotency:" + JdbcStoreStatements.scopeHash(SCOPE) + ":";

        /**
         * Creates the floor.
         * @param client the client, with its event loops and options
         * @param onClose what closing the floor does after closing its connection
         */
        RedisFloor(RedisClient client, Runnable onClose) {
            this.onClose = onClose;
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
            this.commands = this.connection.sync();
            this.completeSha =
                    this.commands.scriptLoad(RedisStoreCommands.completeScript().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public ClaimToken claim(String key) {
            ClaimToken token = ClaimToken.random();
            byte[] record = RedisStoreCommands.inProgressRecord(token, FINGERPRINT);
            if (this.commands.set(redisKey(key), record, SetArgs.Builder.nx().px(LEASE_MILLIS)) == null) {
                throw new IllegalStateException("Floor SET NX of a new key failed: " + key);
            }
            return token;
        }

        @Override
        public void complete(String key, ClaimToken token) {
            byte[] redisKey = redisKey(key);
            Long completed = this.commands.evalsha(
                    this.completeSha,
                    ScriptOutputType.INTEGER,
                    new byte[][] {redisKey},
                    RedisStoreCommands.ownerHeader(token),
                    this.tail,
                    this.ttl);
            if (completed == null || completed != 1) {
                throw new IllegalStateException("Floor completion did not complete: " + key);
            }
        }

        private byte[] redisKey(String key) {
            return (this.keyPrefix + key).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            this.connection.close();
            this.onClose.run();
        }
    }
}
