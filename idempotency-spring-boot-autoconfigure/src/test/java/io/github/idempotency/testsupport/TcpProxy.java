package io.github.idempotency.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a loopback port, between an application and a server it depends on, that a test cuts to
 * make the server unreachable and restores to bring it back, without touching the server (which other
 * test runs may share).
 *
 * <p>While cut, nothing listens on the proxy's port, so connecting is refused, and every connection that
 * was open is closed, as when a database or Redis server goes away. While stalled, connections stay open and
 * new ones are accepted, but no byte gets through in either direction, as when a network stops delivering
 * packets or a server stops answering: only the client's own timeouts end its waits. Each connection is
 * forwarded by a pair of daemon threads, one per direction.
 */
public final class TcpProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private static final int BUFFER_SIZE = 8192;

    private final InetSocketAddress target;

    private final int port;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private ServerSocket serverSocket;

    private boolean stalled;

    private Thread acceptor;

    private TcpProxy(InetSocketAddress target, ServerSocket serverSocket) {
        this.target = target;
        this.serverSocket = serverSocket;
        this.port = serverSocket.getLocalPort();
    }

    /**
     * Starts a proxy to a server, listening on a free loopback port.
     * @param targetHost the server's host
     * @param targetPort the server's port
     * @return the proxy, accepting connections
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        TcpProxy proxy = new TcpProxy(new InetSocketAddress(targetHost, targetPort), listen(0));
        synchronized (proxy) {
            proxy.acceptor = proxy.acceptInBackground(proxy.serverSocket);
        }
        return proxy;
    }

    /**
     * Returns the host to connect to instead of the server's.
     * @return the loopback address
     */
    public String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    /**
     * Returns the port to connect to instead of the server's; it stays the same across cuts.
     * @return the port
     */
    public int port() {
        return this.port;
    }

    /**
     * Makes the server unreachable: stops listening, so that new connections are refused, and closes every
     * open connection. Returns once both are done.
     */
    public void cut() {
        Thread acceptor;
        synchronized (this) {
            this.stalled = false;
            notifyAll();
            if (this.serverSocket != null) {
                closeQuietly(this.serverSocket);
                this.serverSocket = null;
            }
            acceptor = this.acceptor;
            this.acceptor = null;
        }
        if (acceptor != null) {
            // The port goes on accepting until the thread blocked in accept() has left it, as the kernel
            // closes a socket only once no call uses it any more.
            awaitEnd(acceptor);
        }
        for (Socket socket : this.sockets) {
            closeQuietly(socket);
        }
        this.sockets.clear();
    }

    /**
     * Makes the server silent: keeps every connection open and accepts new ones, but holds back every byte
     * in both directions until {@link #restore()}. Bytes held back are delivered then, in order.
     */
    public synchronized void stall() {
        this.stalled = true;
    }

    /**
     * Makes the server reachable again: after a cut, listens on the same port as before; after a stall,
     * forwards again what was held back. Does nothing when the proxy is neither cut nor stalled.
     */
    public synchronized void restore() {
        this.stalled = false;
        notifyAll();
        if (this.serverSocket == null) {
            this.serverSocket = listen(this.port);
            this.acceptor = acceptInBackground(this.serverSocket);
        }
    }

    /**
     * Stops the proxy for good, closing every connection.
     */
    @Override
    public void close() {
        cut();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket serverSocket = new ServerSocket();
            // The port may still have connections in TIME_WAIT from before a cut.
            serverSocket.setReuseAddress(true);
            serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return serverSocket;
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot listen on loopback port " + port, ex);
        }
    }

    private Thread acceptInBackground(ServerSocket serverSocket) {
        return startDaemon("tcp-proxy-accept-" + this.port, () -> {
            while (!serverSocket.isClosed()) {
                try {
                    forward(serverSocket.accept());
                } catch (IOException ex) {
                    // Closed by cut() or close(); a failed accept on a live socket is retried.
                }
            }
        });
    }

    private void forward(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(this.target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException ex) {
            // The server itself is down: the client sees its connection closed, as it would.
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        synchronized (this) {
            if (this.serverSocket == null) {
                // Accepted just before a cut: a cut proxy forwards nothing.
                closeQuietly(client);
                closeQuietly(server);
                return;
            }
            this.sockets.add(client);
            this.sockets.add(server);
        }
        String name = "tcp-proxy-" + this.port + "-" + client.getPort();
        startDaemon(name + "-up", () -> pump(client, server));
        startDaemon(name + "-down", () -> pump(server, client));
    }

    /** Copies bytes one way until either side closes, then closes both, so the other direction ends too. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER_SIZE];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) != -1) {
                awaitFlowing();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ex) {
            // Closed by cut() or by the other direction's pump, or reset by a peer: the connection is over.
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            this.sockets.remove(from);
            this.sockets.remove(to);
        }
    }

    private synchronized void awaitFlowing() throws InterruptedException {
        while (this.stalled) {
            wait();
        }
    }

    private static Thread startDaemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitEnd(Thread thread) {
        try {
            thread.join(CONNECT_TIMEOUT_MILLIS * 2L);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not stop");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ex) {
            // Already closed or broken: either way it is gone.
        }
    }
}
