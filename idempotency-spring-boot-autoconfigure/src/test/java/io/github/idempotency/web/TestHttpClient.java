package io.github.idempotency.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Sends requests as the test application's users, with or without an idempotency key.
 */
class TestHttpClient {

    private final HttpClient http = HttpClient.newHttpClient();

    private final int port;

    TestHttpClient(int port) {
        this.port = port;
    }

    HttpRequest.Builder request(String path, String key, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
                .timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Idempotency-Key", key);
        }
        if (user != null) {
            String credentials = user + ":" + user + "-secret";
            builder.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    HttpResponse<byte[]> post(String path, String key, String json, String user) throws Exception {
        return send(request(path, key, user)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest request) {
        return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
