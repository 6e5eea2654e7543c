package io.github.idempotency.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * A Redis server on its usual local port, as a developer's machine or a CI runner has it, without a password.
 * The tests keep their keys in database {@value #DATABASE}, not in the database 0 that other programs use by
 * default, and delete them when they are done.
 */
final class LocalRedisServer {

    /** The usual port. */
    static final int PORT = 6379;

    /** The tests' database index: one of the 16 a default server has, and not the default one. */
    static final int DATABASE = 11;

    private LocalRedisServer() {}

    /**
     * Returns the local server's configuration, once it has answered {@code SELECT} of the tests' database.
     * @return the configuration, with the tests' database
     * @throws SourceUnavailableException when nothing listens on the port, or the server does not let the
     * tests use their database without a password
     */
    static RedisStandaloneConfiguration configuration() throws SourceUnavailableException {
        return configuration(PORT);
    }

    /**
     * Returns the configuration of a server on a loopback port, once it has answered {@code SELECT} of the
     * tests' database.
     * @param port the port
     * @return the configuration, with the tests' database
     * @throws SourceUnavailableException when nothing listens on the port, or the server does not let the
     * tests use their database without a password
     */
    static RedisStandaloneConfiguration configuration(int port) throws SourceUnavailableException {
        String reply = select(port);
        if (reply.startsWith("-NOAUTH")) {
            throw new SourceUnavailableException(
                    "answered, but wants a password; give it in " + RedisTestServer.URL_VARIABLE);
        }
        if (!reply.equals("+OK")) {
            throw new SourceUnavailableException(
                    "answered 'SELECT " + DATABASE + "' with '" + reply + "' rather than '+OK'");
        }
        RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(LocalServerProbe.HOST, port);
        configuration.setDatabase(DATABASE);
        return configuration;
    }

    private static String select(int port) throws SourceUnavailableException {
        try (Socket socket = LocalServerProbe.connect(port)) {
            // RESP, Redis's protocol, as any client sends it: an array of bulk strings.
            String command =
                    "*2\r\n$6\r\nSELECT\r\n$" + String.valueOf(DATABASE).length() + "\r\n" + DATABASE + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            if (reply == null) {
                throw new SourceUnavailableException("accepted a connection, then closed it without a reply");
            }
            return reply;
        } catch (IOException ex) {
            throw new SourceUnavailableException(
                    "accepted a connection, but did not answer like Redis (" + ex.getMessage() + ")", ex);
        }
    }
}
