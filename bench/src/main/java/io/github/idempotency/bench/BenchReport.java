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

/**
 * Turns the result files of {@code bench/run.sh} ({@code machine.txt}, {@code http.txt},
 * {@code floor.txt}, {@code jmh.csv}) into the Markdown tables of {@code docs/benchmarks.md}, with the
 * targets of the benchmark issue checked against them.
 */
public final class BenchReport {

    private static final String[] VARIANTS = {"plain", "memory", "jdbc", "redis"};

    private static final Map<String, String> STORE_NAMES =
            Map.of("plain", "none", "memory", "in-memory", "jdbc", "PostgreSQL", "redis", "Redis");

    private static final String[][] FLOOR_ROWS = {{"postgres", "1"}, {"postgres", "16"}, {"redis", "1"}, {"redis", "16"}
    };

    private static final Map<String, String> FLOOR_STORES = Map.of("jdbc", "postgres", "redis", "redis");

    private final Map<String, String> machine;

    private final List<Map<String, String>> http;

    private final List<Map<String, String>> floors;

    private final List<JmhResult> jmh;

    private final List<Map<String, String>> warmUps;

    private final StringBuilder out = new StringBuilder();

    private final List<String> targets = new ArrayList<>();

    private BenchReport(Path directory) throws IOException {
        this.machine = readMachine(directory.resolve("machine.txt"));
        this.http = readLines(directory.resolve("http.txt"));
        this.floors = readLines(directory.resolve("floor.txt"));
        this.jmh = readJmh(directory.resolve("jmh.csv"));
        this.warmUps = readLines(directory.resolve("warmup.txt"));
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
        jmhSection();
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
                .append(
                        "req/s at 16 connections (the better round); p50 and p99 at 1 connection (the round with the lower ")
                .append("p50); added = p50 minus the plain endpoint's ")
                .append("p50 for the same keys; floor = the store's claim + completion p50 at 1 thread ")
                .append("(the better round); round trips and ")
                .append(
                        "handler runs per request counted by the application over that 16-connection run; non-2xx summed ")
                .append("over all runs.\n\n")
                .append("| endpoint | store | keys | req/s | of plain | p50 µs | p99 µs | added µs | added / floor ")
                .append("| round trips / req | handler runs / req | non-2xx |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String variant : VARIANTS) {
            for (String mode : new String[] {"new", "replay"}) {
                Map<String, String> many = throughput(variant, mode);
                Map<String, String> one = latency(variant, mode);
                Map<String, String> plainMany = throughput("plain", mode);
                Map<String, String> plainOne = latency("plain", mode);
                if (many == null || one == null || plainMany == null || plainOne == null) {
                    continue;
                }
                double rps = number(many, "rps");
                double ofPlain = rps / number(plainMany, "rps");
                double added = number(one, "p50_us") - number(plainOne, "p50_us");
                Double floor = floorP50(variant);
                // Requests the application answered: wrk leaves out those in flight as it stops.
                double requests = many.containsKey("served") ? number(many, "served") : number(many, "requests");
                double roundTrips = number(many, "round_trips") / requests;
                double handlerRuns = number(many, "handler_runs") / requests;
                boolean plain = variant.equals("plain");
                long non2xx = 0;
                long replayedHandlerRuns = 0;
                for (Map<String, String> line : findAll(this.http, "variant", variant, "mode", mode)) {
                    non2xx += (long) (number(line, "non2xx") + number(line, "socket_errors"));
                    if (!plain && mode.equals("replay")) {
                        replayedHandlerRuns += (long) (number(line, "not_replayed") + number(line, "handler_runs"));
                    }
                }
                this.out.append(row(
                        plain ? "plain" : "`@Idempotent`",
                        STORE_NAMES.get(variant),
                        mode,
                        format("%.0f", rps),
                        plain ? "1" : format("%.2f", ofPlain),
                        format("%.0f", number(one, "p50_us")),
                        format("%.0f", number(one, "p99_us")),
                        plain ? "" : format("%.0f", added),
                        (floor == null) ? "" : format("%.2f", added / floor),
                        plain ? "" : format("%.2f", roundTrips),
                        format("%.2f", handlerRuns),
                        Long.toString(non2xx)));
                if (!plain) {
                    checkHttpTargets(variant, mode, ofPlain, added, floor, roundTrips, non2xx);
                }
                if (!plain && mode.equals("replay")) {
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
            String variant, String mode, double ofPlain, double added, Double floor, double roundTrips, long bad) {
        String what = STORE_NAMES.get(variant) + ", " + mode + " keys";
        if (floor != null) {
            target(
                    "added latency ≤ 1.2 × floor (" + what + ")",
                    format("%.0f µs = %.2f × floor of %.0f µs", added, added / floor, floor),
                    added <= 1.2 * floor);
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
                    format("%.0f %%", ofPlain * 100),
                    ofPlain >= 0.9);
        }
        target("no answer other than 2xx (" + what + ")", Long.toString(bad), bad == 0);
    }

    private void checkReplayNotSlower(String variant) {
        Map<String, String> newMany = throughput(variant, "new");
        Map<String, String> replayMany = throughput(variant, "replay");
        Map<String, String> newOne = latency(variant, "new");
        Map<String, String> replayOne = latency(variant, "replay");
        if (newMany == null || replayMany == null || newOne == null || replayOne == null) {
            return;
        }
        double rpsRatio = number(replayMany, "rps") / number(newMany, "rps");
        double p50Ratio = number(replayOne, "p50_us") / number(newOne, "p50_us");
        target(
                "replays at least as fast as first executions (" + STORE_NAMES.get(variant) + ")",
                format("req/s × %.2f, p50 × %.2f", rpsRatio, p50Ratio),
                rpsRatio >= 1 && p50Ratio <= 1);
    }

    private void floorSection() {
        this.out
                .append("\n### Floor: the bare store work of one request (claim + completion)\n\n")
                .append("| store | threads | ops/s | p50 µs | p99 µs |\n|---|---:|---:|---:|---:|\n");
        for (String[] storeAndThreads : FLOOR_ROWS) {
            Map<String, String> floor = bestFloor(storeAndThreads[0], storeAndThreads[1]);
            if (floor == null) {
                continue;
            }
            this.out.append(row(
                    floor.get("store").equals("postgres") ? "PostgreSQL" : "Redis",
                    floor.get("threads"),
                    format("%.0f", number(floor, "ops_per_s")),
                    format("%.0f", number(floor, "p50_us")),
                    format("%.0f", number(floor, "p99_us"))));
        }
    }

    /**
     * Sets the starter's added latency against the floor measured in a loop and against the same store work
     * done by hand around the plain handler, in a request ({@code ByHandStoreFilter}).
     */
    private void byHandSection() {
        StringBuilder rows = new StringBuilder();
        Map<String, String> plainOne = latency("plain", "new");
        for (String variant : FLOOR_STORES.keySet().stream().sorted().toList()) {
            String store = FLOOR_STORES.get(variant);
            Map<String, String> byHandOne = latency("by-hand-" + store, "new");
            Map<String, String> idempotentOne = latency(variant, "new");
            Double floor = floorP50(variant);
            if (plainOne == null || byHandOne == null || idempotentOne == null || floor == null) {
                continue;
            }
            double byHand = number(byHandOne, "p50_us") - number(plainOne, "p50_us");
            double idempotent = number(idempotentOne, "p50_us") - number(plainOne, "p50_us");
            rows.append(row(
                    STORE_NAMES.get(variant),
                    format("%.0f", floor),
                    format("%.0f", byHand),
                    format("%.2f", byHand / floor),
                    format("%.0f", idempotent),
                    format("%.2f", idempotent / floor),
                    format("%+.0f", idempotent - byHand)));
        }
        if (rows.isEmpty()) {
            return;
        }
        this.out
                .append("\n### Where the added latency goes: new keys at 1 connection\n\n")
                .append("The floor's claim and completion done by hand around the plain handler, inside a request ")
                .append("(`/by-hand/{store}/orders` of the plain application, `ByHandStoreFilter`), against the same ")
                .append("work in the floor's loop and against `@Idempotent`. Added = p50 minus the plain endpoint's ")
                .append("p50, in µs.\n\n")
                .append("| store | floor (loop) | by hand in a request: added | ÷ floor | `@Idempotent`: added ")
                .append("| ÷ floor | `@Idempotent` minus by hand |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n")
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

    private static JmhResult find(Map<String, Map<String, JmhResult>> byBenchmark, String benchmark, String size) {
        Map<String, JmhResult> results = byBenchmark.get(benchmark);
        return (results != null) ? results.get(size + ":gc.alloc.rate.norm") : null;
    }

    private void target(String target, String measured, boolean met) {
        this.targets.add(row(target, measured, met ? "yes" : "**no**"));
    }

    private Double floorP50(String variant) {
        String store = FLOOR_STORES.get(variant);
        Map<String, String> floor = (store != null) ? bestFloor(store, "1") : null;
        return (floor != null) ? number(floor, "p50_us") : null;
    }

    /** The round with the most requests per second at 16 connections. */
    private Map<String, String> throughput(String variant, String mode) {
        return best(findAll(this.http, "variant", variant, "mode", mode, "connections", "16"), "rps", true);
    }

    /** The round with the lowest p50 at 1 connection. */
    private Map<String, String> latency(String variant, String mode) {
        return best(findAll(this.http, "variant", variant, "mode", mode, "connections", "1"), "p50_us", false);
    }

    /** The round with the lowest p50 at 1 thread, or the most operations per second at more. */
    private Map<String, String> bestFloor(String store, String threads) {
        List<Map<String, String>> passes = findAll(this.floors, "store", store, "threads", threads);
        return threads.equals("1") ? best(passes, "p50_us", false) : best(passes, "ops_per_s", true);
    }

    private static Map<String, String> best(List<Map<String, String>> lines, String key, boolean highest) {
        Map<String, String> best = null;
        for (Map<String, String> line : lines) {
            if (best == null || (highest == (number(line, key) > number(best, key)))) {
                best = line;
            }
        }
        return best;
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

    private record JmhResult(String benchmark, String metric, String size, double score) {

        String key() {
            return this.metric.isEmpty() ? this.size : this.size + ":" + this.metric;
        }
    }
}
