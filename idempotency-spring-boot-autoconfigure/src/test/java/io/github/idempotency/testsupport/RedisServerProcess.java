package io.github.idempotency.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * A {@code redis-server} process that a test starts, kills and starts again on the same port, to see what
 * the store does while Redis is gone. It keeps nothing on disk.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private final int port;

    private final Path log;

    private Process process;

    private RedisServerProcess(int port) throws IOException {
        this.port = port;
        this.log = Files.createTempFile("redis-server-" + port, ".log");
    }

    /**
     * Starts a server on a free loopback port.
     * @return the running server
     * @throws IllegalStateException if {@code redis-server} is not on the {@code PATH} or does not start
     */
    public static RedisServerProcess start() {
        try {
            RedisServerProcess server = new RedisServerProcess(freePort());
            server.restart();
            return server;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Returns a loopback port that nothing listens on at the time of the call.
     * @return the port
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Returns where the server listens.
     * @return the server's configuration
     */
    public RedisStandaloneConfiguration configuration() {
        return new RedisStandaloneConfiguration("127.0.0.1", this.port);
    }

    /**
     * Kills the server the hard way, as a crash or a lost node would, and waits until it is gone.
     * @throws InterruptedException if interrupted while waiting
     */
    public void kill() throws InterruptedException {
        this.process.destroyForcibly();
        if (!this.process.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server on port " + this.port + " did not stop");
        }
    }

    /**
     * Stops the server from answering without closing anything, as a server stalled by the machine it runs
     * on, or a network that drops packets, would be: connections stay open, and commands get no reply until
     * {@link #resume()}. Commands sent meanwhile wait in the server's socket buffers and run on resume.
     */
    public void pause() {
        signal("STOP");
    }

    /**
     * Lets a {@linkplain #pause() paused} server answer again.
     */
    public void resume() {
        signal("CONT");
    }

    /**
     * Starts the server again on its port, empty, and waits until it accepts connections.
     */
    public void restart() {
        ProcessBuilder builder = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        String.valueOf(this.port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(this.log.toFile());
        try {
            this.process = builder.start();
        } catch (IOException ex) {
            throw new IllegalStateException(
                    "Cannot run 'redis-server': install Redis so that redis-server is on the"
                            + " PATH (for example 'apt-get install redis-server'); this test starts and kills its own"
                            + " server",
                    ex);
        }
        awaitListening();
    }

    @Override
    public void close() {
        if (this.process != null) {
            this.process.destroyForcibly();
        }
        this.log.toFile().delete();
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("Could not send SIG" + signal + " to redis-server on port " + this.port
                        + ": " + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling redis-server", ex);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!this.process.isAlive()) {
                throw new IllegalStateException("redis-server exited on start: " + readLog());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", this.port), 100);
                return;
            } catch (IOException notYet) {
                // Polling: a starting process gives no signal to wait on.
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            }
        }
        throw new IllegalStateException("redis-server did not listen on port " + this.port + " within "
                + STARTUP_TIMEOUT.toSeconds() + "s: " + readLog());
    }

    private String readLog() {
        try {
            return Files.readString(this.log);
        } catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }
}
