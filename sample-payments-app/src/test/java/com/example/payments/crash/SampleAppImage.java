package com.example.payments.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sample app's executable jar as the crash tests run it: extracted by Spring Boot's
 * {@code -Djarmode=tools extract} (still started with {@code java -jar}), with a class data sharing archive
 * that one training run records. The crash tests start many JVMs, and each loads its classes from the
 * archive for about a third of the CPU time of starting the jar as it is.
 */
final class SampleAppImage {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private static SampleAppImage prepared;

    private final Path jar;

    private final List<String> jvmOptions;

    private SampleAppImage(Path jar, List<String> jvmOptions) {
        this.jar = jar;
        this.jvmOptions = jvmOptions;
    }

    /**
     * Prepares the image once per test JVM: the first caller pays for the extraction and the training run.
     * @param bootJar the executable jar that {@code package} built
     * @param directory where to extract it and keep the archive
     * @param trainingArguments arguments with which the app can start (its database must be reachable)
     * @param environment environment variables of the training run
     * @return the image
     */
    static synchronized SampleAppImage prepare(
            Path bootJar, Path directory, List<String> trainingArguments, Map<String, String> environment) {
        if (prepared == null) {
            Path jar = extract(bootJar, directory.resolve("app"));
            prepared = new SampleAppImage(jar, train(jar, directory, trainingArguments, environment));
        }
        return prepared;
    }

    Path jar() {
        return this.jar;
    }

    List<String> jvmOptions() {
        return this.jvmOptions;
    }

    private static Path extract(Path bootJar, Path destination) {
        Path log = destination.resolveSibling("extract.log");
        try {
            Files.createDirectories(destination);
            Process extract = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Djarmode=tools",
                            "-jar",
                            bootJar.toAbsolutePath().toString(),
                            "extract",
                            "--destination",
                            destination.toAbsolutePath().toString(),
                            "--force")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!extract.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || extract.exitValue() != 0) {
                extract.destroyForcibly();
                throw new AssertionError("Could not extract " + bootJar + ":\n" + Files.readString(log));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while extracting " + bootJar, ex);
        }
        return destination.resolve(bootJar.getFileName());
    }

    private static List<String> train(
            Path jar, Path directory, List<String> arguments, Map<String, String> environment) {
        Path archive = directory.resolve("app.jsa").toAbsolutePath();
        // Spring Boot's training run: the context refreshes (beans created, Flyway run), then the JVM exits
        // and writes the classes it loaded into the archive.
        SampleAppProcess training = SampleAppProcess.start(
                "cds-training",
                jar,
                List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh"),
                directory.resolve("cds-training"),
                arguments,
                environment);
        if (training.awaitExit(TIMEOUT) == 0 && Files.exists(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
        // Slower without the archive, but still correct: the apps' own logs will say what fails.
        System.err.println(
                "Class data sharing training run failed; the apps start without an archive:\n" + training.log());
        return List.of();
    }
}
