package com.example.payments.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample app running as a child JVM ({@code java -jar}), so that a test can kill it for real: with
 * SIGKILL, or through its fault injection ({@code sample.fault.halt-at}), which halts the JVM.
 *
 * <p>The app listens on a port of its choosing (so that no other process can take it between a choice and
 * the app's start), which is read from its log: {@code app.log} in its working directory.
 */
final class SampleAppProcess implements AutoCloseable {

    /** Exit status of a JVM ended by SIGKILL (128 + 9), which {@link Process#destroyForcibly()} sends on Linux. */
    static final int SIGKILL_STATUS = 137;

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private static final Pattern PORT_LINE = Pattern.compile("Tomcat started on port (\\d+)");

    // Apps still running when the test JVM ends early (a build stopped with Ctrl-C) must not outlive it.
    private static final Set<Process> running = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly), "sample-app-reaper"));
    }

    // The C1 compiler alone starts a Spring Boot app faster; the app's work here is a few requests, where C2
    // would never pay for itself.
    private static final List<String> JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx256m");

    private final String name;

    private final Process process;

    private final Path directory;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private URI baseUri;

    private SampleAppProcess(String name, Process process, Path directory) {
        this.name = name;
        this.process = process;
        this.directory = directory;
    }

    /**
     * Starts the app without waiting for it to be ready.
     * @param name what the app is for, in messages and as its directory's name
     * @param jar the executable jar
     * @param jvmOptions options of the JVM beyond the ones every app gets
     * @param directory the working directory, created if absent; an earlier run's log there is overwritten
     * @param arguments Spring Boot command-line arguments ({@code --name=value})
     * @param environment environment variables added to this JVM's
     * @return the running app
     */
    static SampleAppProcess start(
            String name,
            Path jar,
            List<String> jvmOptions,
            Path directory,
            List<String> arguments,
            Map<String, String> environment) {
        try {
            Files.createDirectories(directory);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JVM_OPTIONS);
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar.toAbsolutePath().toString());
            command.add("--server.port=0");
            command.add("--spring.main.banner-mode=off");
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("app.log").toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            running.add(process);
            process.onExit().thenRun(() -> running.remove(process));
            return new SampleAppProcess(name, process, directory);
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not start the sample app '" + name + "'", ex);
        }
    }

    /**
     * Waits until the app answers HTTP.
     * @param timeout how long to wait at most
     * @return where the app listens
     * @throws AssertionError if the app exits or does not answer in time, with the end of its log
     */
    URI awaitReady(Duration timeout) {
        if (this.baseUri == null) {
            awaitCondition("to listen", timeout, () -> readPort() > 0);
            URI uri = URI.create("http://localhost:" + readPort());
            awaitCondition("to answer HTTP", timeout, () -> answers(uri));
            this.baseUri = uri;
        }
        return this.baseUri;
    }

    /**
     * Waits until the app's output contains a text.
     * @param text the text
     * @param timeout how long to wait at most
     */
    void awaitLog(String text, Duration timeout) {
        awaitCondition("to log '" + text + "'", timeout, () -> log().contains(text));
    }

    /**
     * Kills the app with SIGKILL: no shutdown hook runs, nothing is flushed or closed by the JVM.
     */
    void kill() {
        this.process.destroyForcibly();
    }

    /**
     * Waits for the JVM to end, however it ends.
     * @param timeout how long to wait at most
     * @return its exit status
     */
    int awaitExit(Duration timeout) {
        try {
            if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("The sample app '" + this.name + "' did not end within " + timeout
                        + "; its log ends with:\n" + logTail());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the sample app '" + this.name + "' to end", ex);
        }
        return this.process.exitValue();
    }

    /**
     * Returns the app's output so far.
     * @return the log
     */
    String log() {
        try {
            Path log = this.directory.resolve("app.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        if (this.process.isAlive()) {
            this.process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }

    private void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!this.process.isAlive()) {
                throw new AssertionError("The sample app '" + this.name + "' ended with status "
                        + this.process.exitValue() + " while waiting for it " + what + "; its log ends with:\n"
                        + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The sample app '" + this.name + "' did not come " + what + " within "
                        + timeout + "; its log ends with:\n" + logTail());
            }
            pause();
        }
    }

    private int readPort() {
        Matcher port = PORT_LINE.matcher(log());
        return port.find() ? Integer.parseInt(port.group(1)) : -1;
    }

    private boolean answers(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri.resolve("/payments"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
            this.http.send(request, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String logTail() {
        String log = log();
        return log.substring(Math.max(0, log.length() - 4000));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while polling the sample app", ex);
        }
    }
}
