package io.github.idempotency.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpProxy} in front of an echo server of the test's own.
 */
class TcpProxyTests {

    /** Bounds every read, so that a proxy that forwards nothing fails the test instead of hanging it. */
    private static final int READ_TIMEOUT_MILLIS = 5000;

    private EchoServer echo;

    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        this.echo = new EchoServer();
        this.proxy = TcpProxy.start("127.0.0.1", this.echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        this.proxy.close();
        this.echo.close();
    }

    @Test
    void connectionThroughProxyReachesTargetBothWays() throws IOException {
        try (Socket socket = connect(this.proxy.port())) {
            assertThat(roundTrip(socket, "ping")).isEqualTo("ping");
            assertThat(roundTrip(socket, "pong")).isEqualTo("pong");
        }
    }

    @Test
    void cutClosesOpenConnectionsAndRefusesNewOnes() throws IOException {
        try (Socket socket = connect(this.proxy.port())) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");

            this.proxy.cut();

            assertThat(isClosedByPeer(socket)).as("closed by the cut").isTrue();
        }
        assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(this.proxy.port()));
    }

    @Test
    void restoreAcceptsConnectionsAgainOnSamePort() throws IOException {
        int port = this.proxy.port();
        this.proxy.cut();

        this.proxy.restore();

        assertThat(this.proxy.port()).isEqualTo(port);
        try (Socket socket = connect(port)) {
            assertThat(roundTrip(socket, "after")).isEqualTo("after");
        }
    }

    @Test
    void stallHoldsBytesBackUntilRestoreWithoutClosingConnections() throws IOException {
        try (Socket socket = connect(this.proxy.port())) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");

            this.proxy.stall();

            socket.setSoTimeout(200);
            socket.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
            assertThatExceptionOfType(SocketTimeoutException.class)
                    .isThrownBy(() -> socket.getInputStream().read());
            try (Socket newcomer = connect(this.proxy.port())) {
                assertThat(newcomer.isConnected()).as("accepted while stalled").isTrue();
            }
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            this.proxy.restore();
            assertThat(new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                    .isEqualTo("held");
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MILLIS);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(sent);
        byte[] received = socket.getInputStream().readNBytes(sent.length);
        return new String(received, StandardCharsets.US_ASCII);
    }

    /** Reads once: the end of the stream or a reset means closed; a read timeout fails the test. */
    private static boolean isClosedByPeer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException ex) {
            throw ex;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Answers every connection with the bytes it receives. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket serverSocket;

        EchoServer() throws IOException {
            this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return this.serverSocket.getLocalPort();
        }

        private void accept() {
            while (!this.serverSocket.isClosed()) {
                try {
                    Socket socket = this.serverSocket.accept();
                    Thread echo = new Thread(() -> echo(socket), "echo");
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException closed) {
                    // The test is over.
                }
            }
        }

        private static void echo(Socket socket) {
            try (socket;
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException closed) {
                // The proxy closed the connection.
            }
        }

        @Override
        public void close() throws IOException {
            this.serverSocket.close();
        }
    }
}
