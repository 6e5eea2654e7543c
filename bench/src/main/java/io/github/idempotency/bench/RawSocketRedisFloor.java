package io.github.idempotency.bench;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.store.jdbc.JdbcStoreStatements;
import io.github.idempotency.store.redis.RedisStoreCommands;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Redis floor without a client library: the same {@code SET NX PX} and completion {@code EVALSHA}, with
 * the same values, as {@link FloorHarness.RedisFloor}, written in RESP on a blocking socket of the calling
 * thread's own and answered on it, as {@code redis-benchmark} does with a connection per client. What is
 * left is the round trips themselves: the system calls, the loopback, and Redis's work.
 */
final class RawSocketRedisFloor implements FloorHarness.Floor {

    private static final byte[] CRLF = {'\r', '\n'};

    private final String host;

    private final int port;

    private final int database;

    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    private final ThreadLocal<Connection> connection = ThreadLocal.withInitial(this::connect);

    private final byte[] tail = RedisStoreCommands.completedTail(FloorHarness.orderResponse());

    private final byte[] lease = ascii(Long.toString(FloorHarness.LEASE_MILLIS));

    private final byte[] ttl = ascii(Long.toString(FloorHarness.TTL_MILLIS));

    private final String keyPrefix = "bench-idempotency:" + JdbcStoreStatements.scopeHash(FloorHarness.SCOPE) + ":";

    private final byte[] completeSha;

    /**
     * Connects to a Redis server without authentication, as the benchmark's servers are.
     * @param host the server's host
     * @param port its port
     * @param database the database to select
     */
    RawSocketRedisFloor(String host, int port, int database) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.completeSha = (byte[]) this.connection
                .get()
                .call(
                        ascii("SCRIPT"),
                        ascii("LOAD"),
                        RedisStoreCommands.completeScript().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ClaimToken claim(String key) {
        ClaimToken token = ClaimToken.random();
        byte[] record = RedisStoreCommands.inProgressRecord(token, FloorHarness.FINGERPRINT);
        Object reply =
                this.connection.get().call(ascii("SET"), redisKey(key), record, ascii("NX"), ascii("PX"), this.lease);
        if (reply == null) {
            throw new IllegalStateException("Floor SET NX of a new key failed: " + key);
        }
        return token;
    }

    @Override
    public void complete(String key, ClaimToken token) {
        Object reply = this.connection
                .get()
                .call(
                        ascii("EVALSHA"),
                        this.completeSha,
                        ascii("1"),
                        redisKey(key),
                        RedisStoreCommands.ownerHeader(token),
                        this.tail,
                        this.ttl);
        if (!Long.valueOf(1).equals(reply)) {
            throw new IllegalStateException("Floor completion did not complete: " + key);
        }
    }

    @Override
    public void close() throws IOException {
        for (Connection open : this.connections) {
            open.socket.close();
        }
    }

    private Connection connect() {
        try {
            Socket socket = new Socket(this.host, this.port);
            socket.setTcpNoDelay(true);
            Connection opened = new Connection(socket);
            this.connections.add(opened);
            if (this.database != 0) {
                opened.call(ascii("SELECT"), ascii(Integer.toString(this.database)));
            }
            return opened;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private byte[] redisKey(String key) {
        return (this.keyPrefix + key).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One connection: a command written in one system call, its reply read back.
     */
    private static final class Connection {

        private final Socket socket;

        private final OutputStream out;

        private final InputStream in;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        }

        /** Sends a command and returns its reply: a status or bulk string's bytes, an integer, or null. */
        Object call(byte[]... arguments) {
            try {
                this.out.write('*');
                this.out.write(ascii(Integer.toString(arguments.length)));
                this.out.write(CRLF);
                for (byte[] argument : arguments) {
                    this.out.write('$');
                    this.out.write(ascii(Integer.toString(argument.length)));
                    this.out.write(CRLF);
                    this.out.write(argument);
                    this.out.write(CRLF);
                }
                this.out.flush();
                return readReply();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        private Object readReply() throws IOException {
            int type = this.in.read();
            String line = readLine();
            return switch (type) {
                case '+' -> ascii(line);
                case ':' -> Long.parseLong(line);
                case '$' -> readBulk(Integer.parseInt(line));
                case '-' -> throw new IllegalStateException("Redis answered an error: " + line);
                case -1 -> throw new EOFException("Redis closed the connection");
                default -> throw new IllegalStateException("Unexpected reply type '" + (char) type + "'");
            };
        }

        private byte[] readBulk(int length) throws IOException {
            if (length < 0) {
                return null;
            }
            byte[] bulk = this.in.readNBytes(length);
            readLine();
            return bulk;
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(32);
            int next;
            while ((next = this.in.read()) != '\r') {
                if (next == -1) {
                    throw new EOFException("Redis closed the connection");
                }
                line.write(next);
            }
            this.in.read();
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}
