package io.github.idempotency.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on a random loopback port that answers each request with the next answer of a script
 * (the last one repeats) and records what it received and when.
 */
final class ScriptedHttpServer implements AutoCloseable {

    /** Longest a stalled answer waits for the next request. */
    private static final Duration STALL_LIMIT = Duration.ofSeconds(10);

    private final HttpServer server;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final List<Answer> script = new ArrayList<>();

    private final List<Received> received = new ArrayList<>();

    ScriptedHttpServer() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.createContext("/", this::handle);
        // A stalled answer must not hold up the next request.
        this.server.setExecutor(this.threads);
        this.server.start();
    }

    /**
     * Sets the answers, in order; the last one answers every request after it.
     */
    ScriptedHttpServer answering(Answer... answers) {
        synchronized (this) {
            this.script.clear();
            this.script.addAll(List.of(answers));
        }
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + path);
    }

    synchronized List<Received> received() {
        return List.copyOf(this.received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Answer answer;
        int index;
        synchronized (this) {
            index = this.received.size();
            this.received.add(new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(),
                    new String(body, StandardCharsets.UTF_8),
                    System.nanoTime()));
            answer = this.script.get(Math.min(index, this.script.size() - 1));
            notifyAll();
        }
        try {
            answer.answer(exchange, this, index);
        } finally {
            exchange.close();
        }
    }

    /** Waits until a request after the one at {@code index} arrived, or the stall limit passed. */
    private synchronized void awaitRequestAfter(int index) throws InterruptedException {
        long deadline = System.nanoTime() + STALL_LIMIT.toNanos();
        while (this.received.size() <= index + 1 && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
    }

    @Override
    public void close() {
        this.server.stop(0);
        this.threads.shutdownNow();
    }

    /** One request as the server received it. */
    record Received(String method, String path, Headers headers, String body, long nanoTime) {

        String key() {
            return this.headers.getFirst("Idempotency-Key");
        }
    }

    /** What the server does with one request. */
    @FunctionalInterface
    interface Answer {

        void answer(HttpExchange exchange, ScriptedHttpServer server, int index) throws IOException;

        /** Answers with a status, headers as name-value pairs, and a body of the given type. */
        static Answer of(int status, String contentType, String body, String... headers) {
            return (exchange, server, index) -> {
                for (int i = 0; i < headers.length; i += 2) {
                    exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                if (contentType != null) {
                    exchange.getResponseHeaders().set("Content-Type", contentType);
                }
                exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            };
        }

        /** Answers with a status and headers as name-value pairs, and no body. */
        static Answer status(int status, String... headers) {
            return of(status, null, "", headers);
        }

        /** Answers {@code 201} with a JSON body. */
        static Answer created(String json, String... headers) {
            return of(201, "application/json", json, headers);
        }

        /** Answers the starter's in-progress problem, as its server side does. */
        static Answer inProgress(String retryAfter) {
            return of(
                    409,
                    "application/problem+json",
                    "{\"type\":\"https://idempotency-spring-boot-starter.github.io/problems/in-progress\","
                            + "\"title\":\"Request with this idempotency key in progress\",\"status\":409,"
                            + "\"detail\":\"still running\"}",
                    "Retry-After",
                    retryAfter);
        }

        /** Answers nothing until the next request arrives (so the client timed out), then {@code 201}. */
        static Answer stallUntilNextRequest() {
            return (exchange, server, index) -> {
                try {
                    server.awaitRequestAfter(index);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                try {
                    created("{\"stalled\":true}").answer(exchange, server, index);
                } catch (IOException ex) {
                    // The client gave up on this request long ago.
                }
            };
        }

        /** Closes the connection without an answer. */
        static Answer dropConnection() {
            return (exchange, server, index) -> exchange.getResponseBody().close();
        }
    }
}
