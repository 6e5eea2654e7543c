package io.github.idempotency.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the result files of {@code bench/run.sh} ({@code machine.txt}, {@code warmup.txt}, {@code http.txt},
 * {@code floor.txt}, {@code jmh.csv}, {@code footprint.txt}) into the Markdown tables of {@code docs/benchmarks.md}, with the
 * targets of the benchmark issue checked against them. Every comparison is made within a round, whose
 * numbers were measured close together, and summarised by its median over the rounds.
 */
public final class BenchReport {

    private static final String[] VARIANTS = {"plain", "memory", "jdbc", "jdbc-async", "redis", "jedis"};

    private static final Map<String, String> STORE_NAMES = Map.ofEntries(
            Map.entry("plain", "none"),
            Map.entry("memory", "in-memory"),
            Map.entry("jdbc", "PostgreSQL"),
            Map.entry("jdbc-no-timeout", "PostgreSQL, no statement timeout"),
            Map.entry("jdbc-async", "PostgreSQL, claim-commit ASYNC"),
            Map.entry("redis", "Redis"),
            Map.entry("jedis", "Redis (Jedis)"),
            Map.entry("by-hand-postgres", "PostgreSQL"),
            Map.entry("by-hand-redis", "Redis"),
            Map.entry("tx-plain", "plain, `@Transactional`"),
            Map.entry("tx-floor", "plain between two statements that do nothing (the floor of two statements)"),
            Map.entry("tx-method", "method front door, joined: `@Transactional @Idempotent(key = \"#ref\")`"),
            Map.entry("tx-http", "HTTP transactional mode: `@Idempotent(transactional = true)`"));

    /** The applications whose Redis commands are not counted: Jedis offers no listener. */
    private static final List<String> UNCOUNTED = List.of("jedis");

    /**
     * The applications measured against a physical floor (the store's work by its own C client, or on raw
     * sockets), and the floor.
     */
    private static final Map<String, String> PHYSICAL_FLOORS = Map.of(
            "jdbc",
            "pgbench-sync",
            "jdbc-no-timeout",
            "pgbench-sync",
            "jdbc-async",
            "pgbench-async",
            "redis",
            "redis-raw",
            "jedis",
            "redis-raw");

    /** The floors of the physical floor table: measured floor, store, client. */
    private static final String[][] PHYSICAL_FLOOR_ROWS = {
        {"pgbench-sync", "PostgreSQL", "pgbench (C, libpq), prepared: claim + completion"},
        {"pgbench-async", "PostgreSQL", "pgbench: claim-commit ASYNC's claim + completion"},
        {"postgres", "PostgreSQL", "pgjdbc + Hikari in the JVM (`FloorHarness`)"},
        {"postgres-timeout", "PostgreSQL", "the same, with the store's statement timeout (2 s)"},
        {"postgres-unprepared", "PostgreSQL", "the same, `prepareThreshold=0` (never prepared on the server)"},
        {"redis-raw", "Redis", "raw sockets in the JVM (`RawSocketRedisFloor`): claim + completion"},
        {"redis-benchmark-set", "Redis", "redis-benchmark (C): `SET NX PX` alone"},
        {"redis-benchmark-evalsha", "Redis", "redis-benchmark: the completion's `EVALSHA` alone"},
        {"redis", "Redis", "Lettuce in the JVM (`FloorHarness`)"}
    };

    private static final String[][] FLOOR_ROWS = {{"postgres", "1"}, {"postgres", "16"}, {"redis", "1"}, {"redis", "16"}
    };

    /** The applications measured against a store's floor, and the store; the JDBC one also without its statement timeout. */
    private static final Map<String, String> FLOOR_STORES =
            Map.of("jdbc", "postgres", "jdbc-no-timeout", "postgres", "redis", "redis");

    private final Map<String, String> machine;

    private final List<Map<String, String>> http;

    /** The rounds of the run, in order. */
    private final List<Integer> rounds;

    private final List<Map<String, String>> floors;

    private final List<JmhResult> jmh;

    private final List<Map<String, String>> warmUps;

    private final List<Map<String, String>> footprints;

    private final List<Map<String, String>> flushes;

    private final List<JmhResult> methodJmh;

    private final StringBuilder out = new StringBuilder();

    private final List<String> targets = new ArrayList<>();

    private BenchReport(Path directory) throws IOException {
        this.machine = readMachine(directory.resolve("machine.txt"));
        this.http = readLines(directory.resolve("http.txt"));
        this.rounds = rounds(this.http);
        this.floors = readLines(directory.resolve("floor.txt"));
        this.jmh = readJmh(directory.resolve("jmh.csv"));
        this.warmUps = readLines(directory.resolve("warmup.txt"));
        this.footprints = readLines(directory.resolve("footprint.txt"));
        this.flushes = readLines(directory.resolve("flush.txt"));
        this.methodJmh = readJmh(directory.resolve("jmh-method.csv"));
    }

    /**
     * Prints the report of a results directory to standard output.
     * @param args the directory, {@code bench/target/results} by default
     * @throws IOException if a result file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of((args.length > 0) ? args[0] : "bench/target/results");
        System.out.print(render(directory));
    }

    /**
     * Renders the report of a results directory.
     * @param directory where {@code run.sh} wrote its results
     * @return the Markdown
     * @throws IOException if a result file cannot be read
     */
    public static String render(Path directory) throws IOException {
        return new BenchReport(directory).render();
    }

    private String render() {
        machineSection();
        warmUpSection();
        httpSection();
        floorSection();
        physicalFloorSection();
        physicalTargetSection();
        throughputBoundSection();
        claimCommitSection();
        transactionalSection();
        byHandSection();
        serverSection();
        jmhSection();
        methodSection();
        footprintSection();
        this.out.append("\n### Targets\n\n| target | measured | met |\n|---|---|---|\n");
        this.targets.forEach(this.out::append);
        return this.out.toString();
    }

    private void machineSection() {
        this.out.append("### Machine\n\n| | |\n|---|---|\n");
        this.machine.forEach((key, value) ->
                this.out.append("| ").append(key).append(" | ").append(value).append(" |\n"));
    }

    private void warmUpSection() {
        if (this.warmUps.isEmpty()) {
            return;
        }
        this.out
                .append("\n### Warm-up\n\n")
                .append(
                        "New keys at 16 connections in chunks (5 s; 2 s with `--quick`), until the JIT compiler worked less than 0.5 s ")
                .append("of a chunk.\n\n")
                .append("| application | path | seconds | JIT ms in the last chunk | compiler quiet |\n")
                .append("|---|---|---:|---:|---|\n");
        for (Map<String, String> warmUp : this.warmUps) {
            this.out.append(row(
                    warmUp.get("variant"),
                    "`" + warmUp.get("path") + "`",
                    warmUp.get("seconds"),
                    warmUp.get("last_chunk_jit_ms"),
                    "true".equals(warmUp.get("quiet")) ? "yes" : "**no**"));
        }
    }

    private void httpSection() {
        this.out
                .append("\n### HTTP: `POST /orders` under wrk\n\n")
                .append("Medians over the ")
                .append(this.rounds.size())
                .append(" rounds; for a ratio, the median of its ")
                .append("value in each round, with the lowest and highest round in brackets. req/s at 16 ")
                .append("connections; p50 and p99 at 1 connection; of plain = req/s ÷ the plain endpoint's in the ")
                .append("same round; added = p50 minus the plain endpoint's p50 for the same keys in the same round; ")
                .append("floor = the store's claim + completion p50 at 1 thread in the same round; round trips and ")
                .append("handler runs per request counted by the application over every run; non-2xx summed over ")
                .append("all runs.\n\n")
                .append("| endpoint | store | keys | req/s | of plain | p50 µs | p99 µs | added µs | added / floor ")
                .append("| round trips / req | handler runs / req | non-2xx |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String variant : VARIANTS) {
            for (String mode : new String[] {"new", "replay"}) {
                List<Map<String, String>> lines = findAll(this.http, "variant", variant, "mode", mode);
                if (lines.isEmpty()) {
                    continue;
                }
                boolean plain = variant.equals("plain");
                Spread rps = spread((round) -> value(variant, mode, "16", round, "rps"));
                Spread ofPlain = spread((round) ->
                        ratio(value(variant, mode, "16", round, "rps"), value("plain", mode, "16", round, "rps")));
                Spread p50 = spread((round) -> value(variant, mode, "1", round, "p50_us"));
                Spread p99 = spread((round) -> value(variant, mode, "1", round, "p99_us"));
                Spread added = spread((round) -> added(variant, mode, round, "p50_us"));
                Spread addedToFloor =
                        spread((round) -> ratio(added(variant, mode, round, "p50_us"), floorP50(variant, round)));
                double served = sum(lines, "served");
                double roundTrips = sum(lines, "round_trips") / served;
                double handlerRuns = sum(lines, "handler_runs") / served;
                long non2xx = (long) (sum(lines, "non2xx") + sum(lines, "socket_errors"));
                boolean counted = !UNCOUNTED.contains(variant);
                this.out.append(row(
                        plain ? "plain" : "`@Idempotent`",
                        STORE_NAMES.get(variant),
                        mode,
                        rps.format("%.0f", false),
                        plain ? "1" : ofPlain.format("%.2f", true),
                        p50.format("%.0f", false),
                        p99.format("%.0f", false),
                        plain ? "" : added.format("%.0f", false),
                        addedToFloor.isEmpty() ? "" : addedToFloor.format("%.2f", true),
                        (plain || !counted) ? "" : format("%.2f", roundTrips),
                        format("%.2f", handlerRuns),
                        Long.toString(non2xx)));
                if (!plain) {
                    checkHttpTargets(variant, mode, ofPlain, added, addedToFloor, counted ? roundTrips : 0, non2xx);
                }
                if (!plain && mode.equals("replay")) {
                    long replayedHandlerRuns = (long) (sum(lines, "not_replayed") + sum(lines, "handler_runs"));
                    target(
                            "replays never run the handler (" + STORE_NAMES.get(variant) + ")",
                            replayedHandlerRuns + " runs",
                            replayedHandlerRuns == 0);
                }
            }
            if (!variant.equals("plain")) {
                checkReplayNotSlower(variant);
            }
        }
    }

    private void checkHttpTargets(
            String variant,
            String mode,
            Spread ofPlain,
            Spread added,
            Spread addedToFloor,
            double roundTrips,
            long bad) {
        String what = STORE_NAMES.get(variant) + ", " + mode + " keys";
        if (!addedToFloor.isEmpty()) {
            target(
                    "added latency ≤ 1.2 × floor (" + what + ")",
                    format("%.0f µs = ", added.median()) + addedToFloor.format("%.2f", true) + " × floor",
                    addedToFloor.median() <= 1.2);
        }
        double allowed = mode.equals("new") ? 2 : 1;
        if (!variant.equals("memory") && !UNCOUNTED.contains(variant)) {
            target(
                    "round trips ≤ " + (int) allowed + " (" + what + ")",
                    format("%.2f", roundTrips),
                    roundTrips <= allowed + 0.005);
        }
        if (variant.equals("memory")) {
            target(
                    "in-memory ≥ 90 % of plain req/s (" + mode + " keys)",
                    ofPlain.format("%.2f", true),
                    ofPlain.median() >= 0.9);
        }
        target("no answer other than 2xx (" + what + ")", Long.toString(bad), bad == 0);
    }

    private void checkReplayNotSlower(String variant) {
        Spread rpsRatio = spread((round) ->
                ratio(value(variant, "replay", "16", round, "rps"), value(variant, "new", "16", round, "rps")));
        Spread p50Ratio = spread((round) ->
                ratio(value(variant, "replay", "1", round, "p50_us"), value(variant, "new", "1", round, "p50_us")));
        if (rpsRatio.isEmpty() || p50Ratio.isEmpty()) {
            return;
        }
        target(
                "replays at least as fast as first executions (" + STORE_NAMES.get(variant) + ")",
                "req/s × " + rpsRatio.format("%.2f", true) + ", p50 × " + p50Ratio.format("%.2f", true),
                rpsRatio.median() >= 1 && p50Ratio.median() <= 1);
    }

    private void floorSection() {
        this.out
                .append("\n### Floor: the bare store work of one request (claim + completion)\n\n")
                .append("Medians over the rounds.\n\n")
                .append("| store | threads | ops/s | p50 µs | p99 µs |\n|---|---:|---:|---:|---:|\n");
        for (String[] storeAndThreads : FLOOR_ROWS) {
            String store = storeAndThreads[0];
            String threads = storeAndThreads[1];
            Spread opsPerSecond = spread((round) -> floorValue(store, threads, round, "ops_per_s"));
            if (opsPerSecond.isEmpty()) {
                continue;
            }
            this.out.append(row(
                    store.equals("postgres") ? "PostgreSQL" : "Redis",
                    threads,
                    opsPerSecond.format("%.0f", false),
                    spread((round) -> floorValue(store, threads, round, "p50_us"))
                            .format("%.0f", false),
                    spread((round) -> floorValue(store, threads, round, "p99_us"))
                            .format("%.0f", false)));
        }
    }

    /**
     * The stores' physical floors next to the in-JVM floors: the same claim and completion by the stores' C
     * clients or on raw sockets, and the Java clients' share, taken within each round.
     */
    private void physicalFloorSection() {
        StringBuilder rows = new StringBuilder();
        for (String[] floor : PHYSICAL_FLOOR_ROWS) {
            for (String threads : new String[] {"1", "16"}) {
                String store = floor[0];
                Spread opsPerSecond = spread((round) -> floorValue(store, threads, round, "ops_per_s"));
                if (opsPerSecond.isEmpty()) {
                    continue;
                }
                Spread cpu = spread((round) ->
                        ratio(floorCpu(store, threads, round), positive(floorValue(store, threads, round, "ops"))));
                rows.append(row(
                        floor[1],
                        floor[2],
                        threads,
                        opsPerSecond.format("%.0f", false),
                        spread((round) -> floorValue(store, threads, round, "p50_us"))
                                .format("%.0f", false),
                        spread((round) -> floorValue(store, threads, round, "p99_us"))
                                .format("%.0f", false),
                        (cpu.isEmpty() || cpu.median() == 0) ? "" : format("%.0f", cpu.median() * 1000)));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        this.out
                .append("\n### Physical floors: the store's work without the JVM's clients\n\n")
                .append("The claim and completion of one first request by the stores' own C clients (`pgbench`, ")
                .append("`redis-benchmark`) or on raw sockets, next to the in-JVM floor of the table above, all in ")
                .append("the same rounds. pgbench draws a new key per transaction and autocommits each statement; ")
                .append("redis-benchmark sends one command at a time, so it times the claim's and the ")
                .append("completion's round trips apart. Medians over the rounds; CPU = the CPU time of pgbench's and ")
                .append("of PostgreSQL's processes during the run ÷ pairs, in µs.\n\n")
                .append("| store | client | threads | ops/s | p50 µs | p99 µs | CPU µs / op |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n")
                .append(rows);
        Spread pgjdbc = spread((round) ->
                ratio(floorValue("postgres", "1", round, "p50_us"), floorValue("pgbench-sync", "1", round, "p50_us")));
        Spread lettuce = spread((round) ->
                ratio(floorValue("redis", "1", round, "p50_us"), floorValue("redis-raw", "1", round, "p50_us")));
        Spread redisBenchmark = spread((round) -> ratio(
                sum(
                        floorValue("redis-benchmark-set", "1", round, "p50_us"),
                        floorValue("redis-benchmark-evalsha", "1", round, "p50_us")),
                floorValue("redis-raw", "1", round, "p50_us")));
        List<String> shares = new ArrayList<>();
        if (!pgjdbc.isEmpty()) {
            shares.add("pgjdbc + Hikari ÷ pgbench " + pgjdbc.format("%.2f", true));
        }
        for (String setting : new String[] {"postgres-timeout", "postgres-unprepared"}) {
            Spread ofDefault = spread((round) ->
                    ratio(floorValue(setting, "1", round, "p50_us"), floorValue("postgres", "1", round, "p50_us")));
            if (!ofDefault.isEmpty()) {
                shares.add(setting + " ÷ pgjdbc's defaults " + ofDefault.format("%.2f", true));
            }
        }
        if (!lettuce.isEmpty()) {
            shares.add("Lettuce ÷ raw sockets " + lettuce.format("%.2f", true));
        }
        if (!redisBenchmark.isEmpty()) {
            shares.add(
                    "redis-benchmark's two commands (p50 + p50) ÷ raw sockets " + redisBenchmark.format("%.2f", true));
        }
        if (!shares.isEmpty()) {
            this.out
                    .append("\nThe Java clients' share at 1 thread, the in-JVM floor's p50 ÷ the physical floor's in ")
                    .append("each round: ")
                    .append(String.join("; ", shares))
                    .append(".\n");
        }
    }

    /**
     * Each application's added latency for new keys at 1 connection against its store's physical floor,
     * taken within each round.
     */
    private void physicalTargetSection() {
        StringBuilder rows = new StringBuilder();
        for (String variant : new String[] {"jdbc", "jdbc-no-timeout", "jdbc-async", "redis", "jedis"}) {
            String floor = PHYSICAL_FLOORS.get(variant);
            Spread added = spread((round) -> added(variant, "new", round, "p50_us"));
            Spread floorP50 = spread((round) -> floorValue(floor, "1", round, "p50_us"));
            Spread ratio = spread(
                    (round) -> ratio(added(variant, "new", round, "p50_us"), floorValue(floor, "1", round, "p50_us")));
            if (added.isEmpty() || ratio.isEmpty()) {
                continue;
            }
            rows.append(row(
                    STORE_NAMES.get(variant),
                    floor,
                    floorP50.format("%.0f", false),
                    added.format("%.0f", false),
                    ratio.format("%.2f", true)));
            target(
                    "added latency ≤ 1.5 × physical floor (" + STORE_NAMES.get(variant) + ", new keys, 1 connection)",
                    format("%.0f µs = ", added.median()) + ratio.format("%.2f", true) + " × " + floor,
                    ratio.median() <= 1.5);
            if (variant.equals("jdbc-async")) {
                Spread againstSync = spread((round) -> ratio(
                        added(variant, "new", round, "p50_us"), floorValue("pgbench-sync", "1", round, "p50_us")));
                rows.append(row(
                        STORE_NAMES.get(variant),
                        "pgbench-sync",
                        spread((round) -> floorValue("pgbench-sync", "1", round, "p50_us"))
                                .format("%.0f", false),
                        added.format("%.0f", false),
                        againstSync.format("%.2f", true)));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        this.out
                .append("\n### First executions against the physical floor, 1 connection\n\n")
                .append("Added = the application's p50 minus the plain endpoint's, new keys; physical floor = the ")
                .append("p50 of the store's claim + completion by its C client or on raw sockets; both and their ")
                .append("ratio taken in each round, medians over the rounds.\n\n")
                .append("| application | physical floor | floor p50 µs | added µs | added ÷ floor |\n")
                .append("|---|---|---:|---:|---:|\n")
                .append(rows);
    }

    /**
     * What the machine allows at 16 connections once the store's work is counted: its cores divided by the
     * CPU time of a plain request plus that of the store's work for one request, but no more than the
     * store's own rate, all measured in the same round.
     */
    private void throughputBoundSection() {
        double cores = Double.parseDouble(this.machine.getOrDefault("cores", "0"));
        StringBuilder rows = new StringBuilder();
        for (String[] variantAndFloor : new String[][] {{"jdbc", "pgbench-sync"}, {"jdbc-async", "pgbench-async"}}) {
            String variant = variantAndFloor[0];
            String floor = variantAndFloor[1];
            Function<Integer, Double> plainCpu = (round) -> cpuPerRequest("plain", round);
            Function<Integer, Double> floorCpu =
                    (round) -> ratio(floorCpu(floor, "16", round), positive(floorValue(floor, "16", round, "ops")));
            Function<Integer, Double> bound = (round) -> {
                Double plain = plainCpu.apply(round);
                Double store = floorCpu.apply(round);
                Double rate = floorValue(floor, "16", round, "ops_per_s");
                if (plain == null || store == null || rate == null || cores == 0) {
                    return null;
                }
                return Math.min(rate, cores * 1000 / (plain + store));
            };
            Spread ratio = spread((round) -> ratio(value(variant, "new", "16", round, "rps"), bound.apply(round)));
            if (ratio.isEmpty()) {
                continue;
            }
            rows.append(row(
                    STORE_NAMES.get(variant),
                    spread((round) -> micros(plainCpu.apply(round))).format("%.0f", false),
                    spread((round) -> micros(floorCpu.apply(round))).format("%.0f", false),
                    spread((round) -> floorValue(floor, "16", round, "ops_per_s"))
                            .format("%.0f", false),
                    spread(bound).format("%.0f", false),
                    spread((round) -> value(variant, "new", "16", round, "rps")).format("%.0f", false),
                    spread((round) -> micros(cpuPerRequest(variant, round))).format("%.0f", false),
                    ratio.format("%.2f", true)));
            target(
                    "req/s at 16 connections ≥ 0.8 × the machine's bound (" + STORE_NAMES.get(variant) + ", new keys)",
                    ratio.format("%.2f", true) + " × bound",
                    ratio.median() >= 0.8);
        }
        if (rows.isEmpty()) {
            return;
        }
        this.out
                .append("\n### 16 connections against what the machine allows, PostgreSQL\n\n")
                .append("In each round: bound = min(the physical floor's pairs/s at 16 clients, cores ÷ (CPU per ")
                .append("plain request + CPU per pair of the physical floor)), with CPU per plain request = the CPU ")
                .append("time of the plain application's JVM and of wrk during its run ÷ its requests, and CPU per ")
                .append("pair = that of pgbench and of PostgreSQL's processes ÷ its pairs (")
                .append(format("%.0f", cores))
                .append(" cores): a request of the idempotent endpoint needs at least the CPU of a plain one ")
                .append("and of the store's claim and completion (client and server), and the store cannot ")
                .append("commit faster than pgbench does with the same statements. The application's own CPU per ")
                .append("request counts its JVM, wrk and PostgreSQL. PostgreSQL's processes include other clients' ")
                .append("backends on a shared server. Medians over the rounds; CPU in µs.\n\n")
                .append("| application | CPU / plain req | CPU / floor pair | floor pairs/s | bound req/s | req/s ")
                .append("| CPU / req | req/s ÷ bound |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n")
                .append(rows);
    }

    /**
     * One flush per first request: the JDBC application with {@code claim-commit} SYNC and ASYNC, in the same
     * rounds, and the WAL flushes the server made per request.
     */
    private void claimCommitSection() {
        if (findAll(this.http, "variant", "jdbc-async").isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder();
        for (String variant : new String[] {"jdbc", "jdbc-async"}) {
            String mode = variant.equals("jdbc") ? "SYNC" : "ASYNC";
            rows.append(row(
                    mode,
                    spread((round) -> value(variant, "new", "16", round, "rps")).format("%.0f", false),
                    spread((round) -> ratio(
                                    value(variant, "new", "16", round, "rps"),
                                    value("jdbc", "new", "16", round, "rps")))
                            .format("%.2f", true),
                    spread((round) -> value(variant, "new", "1", round, "p50_us"))
                            .format("%.0f", false),
                    spread((round) -> added(variant, "new", round, "p50_us")).format("%.0f", false),
                    flushesPerRequest(mode, "1"),
                    flushesPerRequest(mode, "16")));
        }
        this.out
                .append("\n### One flush per first request: `idempotency.jdbc.claim-commit`\n\n")
                .append("The JDBC application with SYNC (the default) and ASYNC, new keys, in the same rounds and ")
                .append("JVM; of SYNC taken in each round. WAL flushes per request: `pg_stat_wal.wal_sync` over a ")
                .append("run and the 10 s its statistics take to arrive, less what the server flushed in an equal ")
                .append("window without requests (its other clients), ÷ the run's requests; counted once per ")
                .append("mode and connection count after the rounds.\n\n")
                .append("| claim-commit | req/s at 16 | of SYNC | p50 µs at 1 | added µs | WAL flushes / req at 1 ")
                .append("| WAL flushes / req at 16 |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n")
                .append(rows);
    }

    private String flushesPerRequest(String mode, String connections) {
        List<Map<String, String>> runs = findAll(this.flushes, "mode", mode, "connections", connections);
        List<Map<String, String>> quiet = findAll(this.flushes, "mode", "none");
        if (runs.isEmpty()) {
            return "";
        }
        Map<String, String> run = runs.get(0);
        double background = quiet.isEmpty()
                ? 0
                : number(quiet.get(0), "wal_sync") / number(quiet.get(0), "window_s") * number(run, "window_s");
        double requests = number(run, "requests");
        return (requests > 0) ? format("%.2f", (number(run, "wal_sync") - background) / requests) : "";
    }

    /**
     * The endpoints that write one business row in a transaction: plain, through the method front door joined
     * to the method's transaction, and in the HTTP front door's transactional mode.
     */
    private void transactionalSection() {
        if (findAll(this.http, "variant", "tx-plain").isEmpty()) {
            return;
        }
        List<Map<String, String>> plainLines = findAll(this.http, "variant", "tx-plain");
        double plainStatements = statementsPerRequest(plainLines);
        double plainCommits = sum(plainLines, "commits") / sum(plainLines, "served");
        StringBuilder rows = new StringBuilder();
        Spread floorOfPlain = spread((round) ->
                ratio(value("tx-floor", "new", "16", round, "rps"), value("tx-plain", "new", "16", round, "rps")));
        Spread physicalEmpty = physicalTransactionalRatio("pgbench-tx-empty");
        Spread physicalStore = physicalTransactionalRatio("pgbench-tx-store");
        String floors = floorOfPlain.isEmpty()
                ? ""
                : "; two statements that do nothing: " + floorOfPlain.format("%.2f", true)
                        + (physicalEmpty.isEmpty()
                                ? ""
                                : ", and in PostgreSQL alone (pgbench) " + physicalEmpty.format("%.2f", true));
        for (String variant : new String[] {"tx-plain", "tx-floor", "tx-method", "tx-http"}) {
            List<Map<String, String>> lines = findAll(this.http, "variant", variant);
            if (lines.isEmpty()) {
                continue;
            }
            double statements = statementsPerRequest(lines);
            double commits = sum(lines, "commits") / sum(lines, "served");
            long non2xx = (long) (sum(lines, "non2xx") + sum(lines, "socket_errors"));
            Spread ofPlain = spread((round) ->
                    ratio(value(variant, "new", "16", round, "rps"), value("tx-plain", "new", "16", round, "rps")));
            boolean plain = variant.equals("tx-plain");
            boolean idempotent = !plain && !variant.equals("tx-floor");
            Spread cpuOfPlain =
                    spread((round) -> ratio(cpuPerRequest(variant, round), cpuPerRequest("tx-plain", round)));
            rows.append(row(
                    STORE_NAMES.get(variant),
                    spread((round) -> value(variant, "new", "16", round, "rps")).format("%.0f", false),
                    plain ? "1" : ofPlain.format("%.2f", true),
                    spread((round) -> micros(cpuPerRequest(variant, round))).format("%.0f", false),
                    plain ? "1" : cpuOfPlain.format("%.2f", true),
                    spread((round) -> micros(processCpuPerRequest(variant, round, "cpu_app_ms")))
                            .format("%.0f", false),
                    spread((round) -> micros(processCpuPerRequest(variant, round, "cpu_postgres_ms")))
                            .format("%.0f", false),
                    format("%.2f", statements),
                    format("%.2f", commits),
                    plain ? "" : format("%+.2f", statements - plainStatements),
                    plain ? "" : format("%+.2f", commits - plainCommits),
                    Long.toString(non2xx)));
            if (idempotent) {
                String what = variant.equals("tx-method") ? "method front door, joined" : "HTTP transactional mode";
                target(
                        "no extra commit (" + what + ")",
                        format("%+.2f commits / req", commits - plainCommits),
                        commits - plainCommits <= 0.005);
                target(
                        "at most 2 extra statements (" + what + ")",
                        format("%+.2f statements / req", statements - plainStatements),
                        statements - plainStatements <= 2.005);
                target(
                        "req/s at 16 connections ≥ 0.9 × the plain transactional endpoint (" + what + ")",
                        ofPlain.format("%.2f", true) + floors,
                        ofPlain.median() >= 0.9);
                target("no answer other than 2xx (" + what + ")", Long.toString(non2xx), non2xx == 0);
            }
        }
        this.out
                .append("\n### One business row in a transaction, PostgreSQL, 16 connections\n\n")
                .append("The JDBC application's handler inserts one row in a transaction: plain, through an ")
                .append("`@Idempotent` bean method whose claim and record join the method's transaction, and in the ")
                .append("HTTP transactional mode. New keys; of plain taken in each round; CPU = the CPU time of the ")
                .append(
                        "JVM, wrk and PostgreSQL during the run ÷ its requests, in µs; statements (executions) and commits per ")
                .append("request counted by the application over every run.\n\n")
                .append("| endpoint | req/s | of plain | CPU / req | CPU of plain | of it JVM | of it PostgreSQL ")
                .append("| statements / req | commits / req | extra statements | extra commits | non-2xx |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
                .append(rows);
        if (!physicalEmpty.isEmpty() && !physicalStore.isEmpty()) {
            this.out
                    .append("\nThe same transaction in PostgreSQL alone, by pgbench at 16 clients in the same rounds ")
                    .append("(`pgbench-tx-*.sql`, `PhysicalFloorScripts`): transactions/s of the plain one, ")
                    .append("between two statements that do nothing ")
                    .append(physicalEmpty.format("%.2f", true))
                    .append(", between the store's claim and completion ")
                    .append(physicalStore.format("%.2f", true))
                    .append(".\n");
        }
    }

    /** A pgbench transactional script's transactions/s of the plain transaction's, per round. */
    private Spread physicalTransactionalRatio(String script) {
        return spread((round) -> ratio(
                floorValue(script, "16", round, "ops_per_s"),
                floorValue("pgbench-tx-plain", "16", round, "ops_per_s")));
    }

    private static double statementsPerRequest(List<Map<String, String>> lines) {
        return (sum(lines, "round_trips") - sum(lines, "commits")) / sum(lines, "served");
    }

    /** The method front door in JMH: plain and advised calls of the same bean method on each store. */
    private void methodSection() {
        if (this.methodJmh.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder();
        for (String store : new String[] {"memory", "jdbc", "redis"}) {
            JmhResult plain = methodResult("plainCall", store);
            JmhResult first = methodResult("firstCall", store);
            JmhResult replayed = methodResult("replayedCall", store);
            if (plain == null || first == null || replayed == null) {
                continue;
            }
            rows.append(row(
                    STORE_NAMES.get(store),
                    format("%.0f", plain.score()),
                    format("%.0f", first.score()),
                    format("%.0f", replayed.score()),
                    format("%.1f", (first.score() - plain.score()) / 1000),
                    format("%.1f", (replayed.score() - plain.score()) / 1000)));
        }
        this.out
                .append("\n### The method front door in-process (JMH)\n\n")
                .append("`@Idempotent(key = \"#ref\")` on a bean method, called through its proxy on one thread in a ")
                .append("Spring context with the starter's auto-configuration (`IdempotentMethodBenchmark`): the ")
                .append("same method plain, with a new key, and with a completed key. ns per call; added = advised ")
                .append("minus plain, in µs.\n\n")
                .append("| store | plain ns | first call ns | replayed call ns | first call added µs ")
                .append("| replayed call added µs |\n")
                .append("|---|---:|---:|---:|---:|---:|\n")
                .append(rows);
    }

    private JmhResult methodResult(String benchmark, String store) {
        return this.methodJmh.stream()
                .filter((result) -> result.benchmark().equals("IdempotentMethodBenchmark." + benchmark)
                        && result.metric().isEmpty()
                        && result.size().equals(store))
                .findFirst()
                .orElse(null);
    }

    /**
     * The CPU time per request of an application's 16-connection run for new keys, in ms: its JVM's, wrk's
     * and PostgreSQL's processes' (none for the plain endpoint, which does not reach it).
     */
    private Double cpuPerRequest(String variant, int round) {
        Double app = value(variant, "new", "16", round, "cpu_app_ms");
        Double client = value(variant, "new", "16", round, "cpu_client_ms");
        Double postgres =
                variant.equals("plain") ? Double.valueOf(0) : value(variant, "new", "16", round, "cpu_postgres_ms");
        if (app == null || client == null || postgres == null) {
            return null;
        }
        return ratio(app + client + postgres, positive(value(variant, "new", "16", round, "requests")));
    }

    /** One process's CPU time per request of an application's 16-connection run for new keys, in ms. */
    private Double processCpuPerRequest(String variant, int round, String key) {
        return ratio(value(variant, "new", "16", round, key), positive(value(variant, "new", "16", round, "requests")));
    }

    /** The CPU time of a physical floor's run, its C client's and PostgreSQL's processes', in ms. */
    private Double floorCpu(String store, String threads, int round) {
        Double client = floorValue(store, threads, round, "cpu_client_ms");
        Double postgres = floorValue(store, threads, round, "cpu_postgres_ms");
        return (client == null || postgres == null) ? null : client + postgres;
    }

    private static Double micros(Double millis) {
        return (millis != null) ? millis * 1000 : null;
    }

    private static Double positive(Double value) {
        return (value != null && value > 0) ? value : null;
    }

    private static Double sum(Double first, Double second) {
        return (first == null || second == null) ? null : first + second;
    }

    /**
     * Sets the starter's added latency against the floor measured in a loop and against the same store work
     * done by hand around the plain handler, in a request ({@code ByHandStoreFilter}).
     */
    private void byHandSection() {
        StringBuilder rows = new StringBuilder();
        for (String variant : FLOOR_STORES.keySet().stream().sorted().toList()) {
            String byHand = "by-hand-" + FLOOR_STORES.get(variant);
            Spread floor = spread((round) -> floorP50(variant, round));
            Spread byHandAdded = spread((round) -> added(byHand, "new", round, "p50_us"));
            Spread idempotentAdded = spread((round) -> added(variant, "new", round, "p50_us"));
            if (floor.isEmpty() || byHandAdded.isEmpty() || idempotentAdded.isEmpty()) {
                continue;
            }
            rows.append(row(
                    STORE_NAMES.get(variant),
                    floor.format("%.0f", false),
                    byHandAdded.format("%.0f", false),
                    spread((round) -> ratio(added(byHand, "new", round, "p50_us"), floorP50(variant, round)))
                            .format("%.2f", true),
                    idempotentAdded.format("%.0f", false),
                    spread((round) -> ratio(added(variant, "new", round, "p50_us"), floorP50(variant, round)))
                            .format("%.2f", true),
                    spread((round) -> difference(
                                    added(variant, "new", round, "p50_us"), added(byHand, "new", round, "p50_us")))
                            .format("%+.0f", true)));
        }
        if (rows.isEmpty()) {
            return;
        }
        this.out
                .append("\n### Where the added latency goes: new keys at 1 connection\n\n")
                .append("The floor's claim and completion done by hand around the plain handler, inside a request ")
                .append("(`/by-hand/{store}/orders` of the plain application, `ByHandStoreFilter`), against the same ")
                .append("work in the floor's loop and against `@Idempotent`. Added = p50 minus the plain endpoint's ")
                .append("p50 in the same round, in µs; medians over the rounds, ratios and differences taken in each ")
                .append("round.\n\n")
                .append("| store | floor (loop) | by hand in a request: added | ÷ floor | `@Idempotent`: added ")
                .append("| ÷ floor | `@Idempotent` minus by hand |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n")
                .append(rows);
    }

    /**
     * Sets each endpoint's latency at 1 connection, as wrk sees it, against the time its requests spent in
     * the server and, of that, in store calls.
     */
    private void serverSection() {
        StringBuilder rows = new StringBuilder();
        List<String[]> endpoints = new ArrayList<>();
        for (String variant : VARIANTS) {
            endpoints.add(new String[] {variant, "new"});
            endpoints.add(new String[] {variant, "replay"});
            if (variant.equals("jdbc")) {
                endpoints.add(new String[] {"jdbc-no-timeout", "new"});
            }
            if (variant.equals("plain")) {
                endpoints.add(new String[] {"by-hand-postgres", "new"});
                endpoints.add(new String[] {"by-hand-redis", "new"});
            }
        }
        for (String[] endpoint : endpoints) {
            String variant = endpoint[0];
            String mode = endpoint[1];
            Spread server = spread((round) -> value(variant, mode, "1", round, "server_p50_us"));
            if (server.isEmpty() || server.median() == 0) {
                continue;
            }
            boolean byHand = variant.startsWith("by-hand-");
            boolean plain = variant.equals("plain");
            rows.append(row(
                    plain ? "plain" : byHand ? "by hand" : "`@Idempotent`",
                    STORE_NAMES.get(variant),
                    mode,
                    spread((round) -> value(variant, mode, "1", round, "p50_us"))
                            .format("%.0f", false),
                    server.format("%.0f", false),
                    plain
                            ? ""
                            : spread((round) -> value(variant, mode, "1", round, "store_p50_us"))
                                    .format("%.0f", false),
                    plain
                            ? ""
                            : spread((round) -> difference(
                                            value(variant, mode, "1", round, "server_p50_us"),
                                            value(variant, mode, "1", round, "store_p50_us")))
                                    .format("%.0f", false)));
        }
        if (rows.isEmpty()) {
            return;
        }
        this.out
                .append("\n### At 1 connection: in the server, and in store calls\n\n")
                .append("The p50 as wrk sees it; the p50 of the time a request spent in the server, from entering ")
                .append("its outermost filter to leaving it (Tomcat's reading and writing of the socket, and the ")
                .append("hand-offs between its threads and wrk, stay outside); the p50 of the time it spent in ")
                .append("store calls (timed around each call of the starter's store, or of the by-hand work); and ")
                .append("the server time less the store calls, taken in each round. In µs; medians over the ")
                .append("rounds.\n\n")
                .append(
                        "| endpoint | store | keys | wrk p50 | server p50 | store calls p50 | server minus store calls |\n")
                .append("|---|---|---|---:|---:|---:|---:|\n")
                .append(rows);
    }

    private void jmhSection() {
        Map<String, Map<String, JmhResult>> byBenchmark = new TreeMap<>();
        for (JmhResult result : this.jmh) {
            byBenchmark
                    .computeIfAbsent(result.benchmark(), (name) -> new TreeMap<>())
                    .put(result.key(), result);
        }
        this.out
                .append("\n### JMH: in-process work per request (GC profiler)\n\n")
                .append("Time in ns/op, allocation in bytes/op (`gc.alloc.rate.norm`); request and response bodies ")
                .append("of the size given each.\n\n")
                .append("| benchmark | body | ns/op | B/op |\n|---|---:|---:|---:|\n");
        byBenchmark.forEach((benchmark, results) -> results.values().stream()
                .filter((result) -> result.metric().isEmpty())
                .sorted((a, b) -> Integer.compare(size(a.size()), size(b.size())))
                .forEach((time) -> {
                    JmhResult allocation = results.get(time.size() + ":gc.alloc.rate.norm");
                    this.out.append(row(
                            benchmark,
                            sizeLabel(time.size()),
                            format("%.0f", time.score()),
                            (allocation != null) ? format("%.0f", allocation.score()) : ""));
                }));
        this.out
                .append("\nAllocated by the starter per request: the idempotent request's bytes/op minus the plain ")
                .append("request's, against one copy of both bodies; the last column is what each further byte of ")
                .append("body costs (from 64 KiB to 1 MiB), without the fixed part of the first column.\n\n")
                .append("| path | body | extra B/op | copies of (request + response) | marginal copies |\n")
                .append("|---|---:|---:|---:|---:|\n");
        for (String path : new String[] {"firstExecution", "replayExecution"}) {
            Double previousExtra = null;
            for (String size : new String[] {"1024", "65536", "1048576"}) {
                JmhResult idempotent = find(byBenchmark, "WebPathBenchmark." + path, size);
                JmhResult plain = find(byBenchmark, "WebPathBenchmark.plainExecution", size);
                if (idempotent == null || plain == null) {
                    continue;
                }
                double extra = idempotent.score() - plain.score();
                double copies = extra / (2.0 * size(size));
                String marginal = "";
                if (size.equals("1048576") && previousExtra != null) {
                    double perByte = (extra - previousExtra) / (2.0 * (size(size) - 65536));
                    marginal = format("%.2f", perByte);
                    target(
                            "allocation ≤ one copy of the bodies (" + path + ", per body byte)",
                            format("%.2f copies, plus %.0f B per request", perByte, extra - perByte * 2 * size(size)),
                            perByte <= 1.01);
                }
                this.out.append(row(path, sizeLabel(size), format("%.0f", extra), format("%.2f", copies), marginal));
                if (size.equals("65536")) {
                    previousExtra = extra;
                }
            }
        }
    }

    private void footprintSection() {
        if (this.footprints.isEmpty()) {
            return;
        }
        this.out
                .append("\n### In-memory store: heap per record\n\n")
                .append("Completed records of the benchmark's response, each with its own key, scope, fingerprint, ")
                .append("header values and body, measured after a full collection (`MemoryStoreFootprint`).\n\n")
                .append("| records | body bytes | bytes per record |\n|---:|---:|---:|\n");
        for (Map<String, String> footprint : this.footprints) {
            this.out.append(
                    row(footprint.get("records"), footprint.get("body_bytes"), footprint.get("bytes_per_record")));
        }
    }

    private static JmhResult find(Map<String, Map<String, JmhResult>> byBenchmark, String benchmark, String size) {
        Map<String, JmhResult> results = byBenchmark.get(benchmark);
        return (results != null) ? results.get(size + ":gc.alloc.rate.norm") : null;
    }

    private void target(String target, String measured, boolean met) {
        this.targets.add(row(target, measured, met ? "yes" : "**no**"));
    }

    /** Reads which rounds the wrk runs belong to, in order. */
    private static List<Integer> rounds(List<Map<String, String>> http) {
        return http.stream()
                .map((line) -> line.get("round"))
                .filter((round) -> round != null)
                .map(Integer::valueOf)
                .distinct()
                .sorted()
                .toList();
    }

    /** A number of one wrk run of a round, or {@code null} when the run is missing. */
    private Double value(String variant, String mode, String connections, int round, String key) {
        List<Map<String, String>> lines = findAll(
                this.http,
                "variant",
                variant,
                "mode",
                mode,
                "connections",
                connections,
                "round",
                Integer.toString(round));
        return lines.isEmpty() ? null : number(lines.get(0), key);
    }

    /** A number of one floor measurement of a round, or {@code null} when it is missing. */
    private Double floorValue(String store, String threads, int round, String key) {
        List<Map<String, String>> lines =
                findAll(this.floors, "store", store, "threads", threads, "round", Integer.toString(round));
        return lines.isEmpty() ? null : number(lines.get(0), key);
    }

    private Double floorP50(String variant, int round) {
        String store = FLOOR_STORES.get(variant);
        return (store != null) ? floorValue(store, "1", round, "p50_us") : null;
    }

    /** A 1-connection latency minus the plain endpoint's for the same keys in the same round. */
    private Double added(String variant, String mode, int round, String key) {
        return difference(value(variant, mode, "1", round, key), value("plain", mode, "1", round, key));
    }

    private Spread spread(Function<Integer, Double> perRound) {
        List<Double> values = new ArrayList<>();
        for (int round : this.rounds) {
            Double value = perRound.apply(round);
            if (value != null) {
                values.add(value);
            }
        }
        return Spread.of(values);
    }

    private static Double ratio(Double numerator, Double denominator) {
        return (numerator == null || denominator == null || denominator == 0) ? null : numerator / denominator;
    }

    private static Double difference(Double minuend, Double subtrahend) {
        return (minuend == null || subtrahend == null) ? null : minuend - subtrahend;
    }

    private static double sum(List<Map<String, String>> lines, String key) {
        return lines.stream().mapToDouble((line) -> number(line, key)).sum();
    }

    private static List<Map<String, String>> findAll(List<Map<String, String>> lines, String... keysAndValues) {
        List<Map<String, String>> found = new ArrayList<>();
        for (Map<String, String> line : lines) {
            boolean matches = true;
            for (int i = 0; i < keysAndValues.length; i += 2) {
                matches &= keysAndValues[i + 1].equals(line.get(keysAndValues[i]));
            }
            if (matches) {
                found.add(line);
            }
        }
        return found;
    }

    private static double number(Map<String, String> line, String key) {
        String value = line.get(key);
        return (value != null) ? Double.parseDouble(value) : 0;
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private static int size(String size) {
        return size.isEmpty() ? 0 : Integer.parseInt(size);
    }

    private static String sizeLabel(String size) {
        if (size.isEmpty()) {
            return "";
        }
        int bytes = Integer.parseInt(size);
        return (bytes >= 1024 * 1024) ? (bytes / (1024 * 1024)) + " MiB" : (bytes / 1024) + " KiB";
    }

    private static Map<String, String> readMachine(Path file) throws IOException {
        Map<String, String> machine = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    machine.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        }
        return machine;
    }

    /**
     * Reads lines of {@code key=value} words; the first word names the kind of line and is skipped.
     */
    static List<Map<String, String>> readLines(Path file) throws IOException {
        List<Map<String, String>> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        for (String line : Files.readAllLines(file)) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String word : line.trim().split("\\s+")) {
                int equals = word.indexOf('=');
                if (equals > 0) {
                    values.put(word.substring(0, equals), word.substring(equals + 1));
                }
            }
            if (!values.isEmpty()) {
                lines.add(values);
            }
        }
        return lines;
    }

    private static List<JmhResult> readJmh(Path file) throws IOException {
        List<JmhResult> results = new ArrayList<>();
        if (!Files.exists(file)) {
            return results;
        }
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length < 7) {
                continue;
            }
            String name = unquote(cells[0]);
            String benchmark = name.replaceFirst("^.*\\.(\\w+Benchmark\\.)", "$1");
            String metric = "";
            int secondary = benchmark.indexOf(':');
            if (secondary > 0) {
                metric = benchmark.substring(secondary + 1).replace("·", "");
                benchmark = benchmark.substring(0, secondary);
            }
            String size = (cells.length > 7) ? unquote(cells[7]) : "";
            results.add(new JmhResult(benchmark, metric, size, Double.parseDouble(unquote(cells[4]))));
        }
        return results;
    }

    private static String unquote(String cell) {
        return cell.replace("\"", "").trim();
    }

    /**
     * The values of one number over the rounds: their median, and the lowest and highest.
     */
    private record Spread(double median, double min, double max, int count) {

        static Spread of(List<Double> values) {
            if (values.isEmpty()) {
                return new Spread(0, 0, 0, 0);
            }
            List<Double> sorted = values.stream().sorted().toList();
            int middle = sorted.size() / 2;
            double median =
                    (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
            return new Spread(median, sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
        }

        boolean isEmpty() {
            return this.count == 0;
        }

        /** The median, followed by the range in brackets when asked and there is more than one round. */
        String format(String pattern, boolean withRange) {
            String median = BenchReport.format(pattern, this.median);
            if (!withRange || this.count < 2) {
                return median;
            }
            return median + " (" + BenchReport.format(pattern, this.min) + " to "
                    + BenchReport.format(pattern, this.max) + ")";
        }
    }

    private record JmhResult(String benchmark, String metric, String size, double score) {

        String key() {
            return this.metric.isEmpty() ? this.size : this.size + ":" + this.metric;
        }
    }
}
