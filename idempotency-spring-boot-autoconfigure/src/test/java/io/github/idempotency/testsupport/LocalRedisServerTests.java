package io.github.idempotency.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * How {@link LocalRedisServer} judges what answers on its port: a server of the test's own that reads one
 * command and replies with a line the test chooses, as Redis would in each case.
 */
class LocalRedisServerTests {

    private static final String SELECT_11 = "*2\r\n$6\r\nSELECT\r\n$2\r\n11\r\n";

    private ServerSocket server;

    private CompletableFuture<String> command;

    @AfterEach
    void closeServer() throws IOException {
        this.server.close();
    }

    @Test
    void configurationWhenServerSelectsTheTestsDatabaseThenUsesIt() throws Exception {
        replyWith("+OK\r\n");

        RedisStandaloneConfiguration configuration = LocalRedisServer.configuration(this.server.getLocalPort());

        assertThat(this.command.get()).isEqualTo(SELECT_11);
        assertThat(configuration.getHostName()).isEqualTo("127.0.0.1");
        assertThat(configuration.getPort()).isEqualTo(this.server.getLocalPort());
        assertThat(configuration.getDatabase()).isEqualTo(11);
    }

    @Test
    void configurationWhenServerWantsAPasswordThenSaysToGiveItInTheUrlVariable() throws IOException {
        replyWith("-NOAUTH Authentication required.\r\n");

        assertThatExceptionOfType(SourceUnavailableException.class)
                .isThrownBy(() -> LocalRedisServer.configuration(this.server.getLocalPort()))
                .withMessage("answered, but wants a password; give it in IDEMPOTENCY_TEST_REDIS_URL");
    }

    @Test
    void configurationWhenServerHasNoDatabase11ThenSaysWhatItAnswered() throws IOException {
        replyWith("-ERR DB index is out of range\r\n");

        assertThatExceptionOfType(SourceUnavailableException.class)
                .isThrownBy(() -> LocalRedisServer.configuration(this.server.getLocalPort()))
                .withMessage("answered 'SELECT 11' with '-ERR DB index is out of range' rather than '+OK'");
    }

    @Test
    void configurationWhenNothingListensThenSaysNothingAnswered() throws IOException {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = this.server.getLocalPort();
        this.server.close();

        assertThatExceptionOfType(SourceUnavailableException.class)
                .isThrownBy(() -> LocalRedisServer.configuration(port))
                .withMessageStartingWith("nothing answered within " + LocalServerProbe.TIMEOUT.toMillis() + " ms");
    }

    private void replyWith(String reply) throws IOException {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.command = CompletableFuture.supplyAsync(() -> {
            try (Socket client = this.server.accept()) {
                byte[] received = client.getInputStream().readNBytes(SELECT_11.length());
                client.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                return new String(received, StandardCharsets.US_ASCII);
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }
}
