package io.github.idempotency.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Asks whether a server listens on a loopback port, quickly: trying the usual local servers first must add no
 * noticeable time to a run that ends up using another source.
 */
final class LocalServerProbe {

    /** Where the usual local servers listen. */
    static final String HOST = "127.0.0.1";

    /**
     * Bound on connecting, and on each read of a reply over the connection. Where nothing listens, the
     * connection is refused at once; the bound is only waited for by a server that accepts and does not
     * answer, so it can allow for a busy machine.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private LocalServerProbe() {}

    /**
     * Connects to a loopback port.
     * @param port the port
     * @return the connection, with reads bounded by {@link #TIMEOUT}; the caller closes it
     * @throws SourceUnavailableException when nothing accepts the connection within {@link #TIMEOUT}
     */
    static Socket connect(int port) throws SourceUnavailableException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(HOST, port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            return socket;
        } catch (IOException ex) {
            closeQuietly(socket);
            throw new SourceUnavailableException(
                    "nothing answered within " + TIMEOUT.toMillis() + " ms (" + ex.getMessage() + ")", ex);
        }
    }

    /**
     * Checks that something listens on a loopback port.
     * @param port the port
     * @throws SourceUnavailableException when nothing accepts a connection within {@link #TIMEOUT}
     */
    static void requireListening(int port) throws SourceUnavailableException {
        closeQuietly(connect(port));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing was sent: there is nothing to lose.
        }
    }
}
