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

    private static final String[] VARIANTS = {"plain", "memory", "jdbc", "redis"};

    private static final Map<String, String> STORE_NAMES = Map.of(
            "plain",
            "none",
            "memory",
            "in-memory",
            "jdbc",
            "PostgreSQL",
            "jdbc-no-timeout",
            "PostgreSQL, no statement timeout",
            "redis",
            "Redis",
            "by-hand-postgres",
            "PostgreSQL",
            "by-hand-redis",
            "Redis");

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
        byHandSection();
        serverSection();
        jmhSection();
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
                        plain ? "" : format("%.2f", roundTrips),
                        format("%.2f", handlerRuns),
                        Long.toString(non2xx)));
                if (!plain) {
                    checkHttpTargets(variant, mode, ofPlain, added, addedToFloor, roundTrips, non2xx);
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
        if (!variant.equals("memory")) {
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
