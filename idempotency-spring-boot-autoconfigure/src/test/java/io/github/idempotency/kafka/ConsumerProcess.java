package io.github.idempotency.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@link LedgerConsumerApplication} running as a child JVM on the test class path, so that a test can kill
 * it for real with SIGKILL. The test follows it through the lines it reports on standard output, each with
 * the time it happened; everything it prints also goes to a log file, for when a test fails.
 */
final class ConsumerProcess implements AutoCloseable {

    /** Exit status of a JVM ended by SIGKILL (128 + 9), which {@link Process#destroyForcibly()} sends on Linux. */
    static final int SIGKILL_STATUS = 137;

    // Consumers still running when the test JVM ends early (a build stopped with Ctrl-C) must not outlive it.
    private static final Set<Process> running = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly), "consumer-reaper"));
    }

    // The C1 compiler alone starts a small Spring application sooner; it handles a few events.
    private static final List<String> JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx192m");

    private final String name;

    private final Process process;

    private final Path log;

    private final List<Line> reports = new ArrayList<>();

    private ConsumerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a consumer without waiting for it to be ready.
     * @param name what the consumer is for, in messages and as its log file's name
     * @param directory where its log file goes
     * @param arguments Spring Boot arguments ({@code --name=value})
     * @param environment environment variables added to this JVM's, for secrets kept off the command line
     * @return the running consumer
     */
    static ConsumerProcess start(String name, Path directory, List<String> arguments, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LedgerConsumerApplication.class.getName());
        command.add("--spring.main.banner-mode=off");
        command.add("--logging.level.org.apache.kafka=warn");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(directory);
            Process process = builder.start();
            running.add(process);
            process.onExit().thenRun(() -> running.remove(process));
            ConsumerProcess consumer = new ConsumerProcess(name, process, directory.resolve(name + ".log"));
            Thread reader = new Thread(consumer::readOutput, "consumer-output-" + name);
            reader.setDaemon(true);
            reader.start();
            return consumer;
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not start the consumer '" + name + "'", ex);
        }
    }

    /**
     * Waits for a reported line.
     * @param condition what the line says, without {@link LedgerConsumerApplication#REPORT}
     * @param timeout how long to wait at most
     * @return the first line that meets the condition
     * @throws AssertionError if the consumer ends or reports no such line in time
     */
    synchronized Line awaitReport(Predicate<String> condition, String description, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Line line : this.reports) {
                if (condition.test(line.text())) {
                    return line;
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || !this.process.isAlive()) {
                throw new AssertionError("The consumer '" + this.name + "' did not report " + description
                        + (this.process.isAlive() ? " within " + timeout : " before it ended") + "; it reported "
                        + this.reports + " (its output: " + this.log + ")");
            }
            wait(Math.min(100, Math.max(1, remaining / 1_000_000)));
        }
    }

    /**
     * Waits until the partitions last assigned to the consumer are the given ones.
     * @param partitions the partitions, in ascending order
     * @param timeout how long to wait at most
     */
    void awaitAssigned(List<Integer> partitions, Duration timeout) throws InterruptedException {
        String assigned = "assigned " + partitions;
        awaitReport((line) -> line.equals(assigned) && assigned.equals(lastAssignment()), assigned, timeout);
    }

    /**
     * Returns the reported lines that start with a text, in the order they came.
     * @param start the start of the lines, without {@link LedgerConsumerApplication#REPORT}
     * @return the lines
     */
    synchronized List<Line> reports(String start) {
        return this.reports.stream()
                .filter((line) -> line.text().startsWith(start))
                .toList();
    }

    /**
     * Kills the consumer with SIGKILL: no shutdown hook runs, nothing is committed or closed by the JVM.
     * @return its exit status
     */
    int kill() {
        this.process.destroyForcibly();
        try {
            if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("The consumer '" + this.name + "' did not end within 30 s of SIGKILL");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the consumer '" + this.name + "' to end", ex);
        }
        return this.process.exitValue();
    }

    @Override
    public void close() {
        if (this.process.isAlive()) {
            kill();
        }
    }

    private synchronized String lastAssignment() {
        List<Line> assignments = reports("assigned ");
        return assignments.isEmpty()
                ? null
                : assignments.get(assignments.size() - 1).text();
    }

    private void readOutput() {
        try (BufferedReader output = new BufferedReader(
                        new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(this.log, StandardCharsets.UTF_8)) {
            String text;
            while ((text = output.readLine()) != null) {
                log.write(text + System.lineSeparator());
                log.flush();
                if (text.startsWith(LedgerConsumerApplication.REPORT)) {
                    String[] report = text.substring(LedgerConsumerApplication.REPORT.length())
                            .split(" ", 2);
                    addReport(new Line(report[1], Long.parseLong(report[0])));
                }
            }
        } catch (IOException ex) {
            // The consumer was killed mid-line, or the log cannot be written: what was read stays.
        } finally {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private synchronized void addReport(Line line) {
        this.reports.add(line);
        notifyAll();
    }

    /**
     * A line the consumer reported.
     *
     * @param text what it said, without {@link LedgerConsumerApplication#REPORT}
     * @param at when it happened, by the consumer's clock (the machine's), in epoch milliseconds
     */
    record Line(String text, long at) {

        @Override
        public String toString() {
            return this.at + " " + this.text;
        }
    }
}
