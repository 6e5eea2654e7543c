package com.example.payments.crash;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The requests that the tests of child-JVM apps send, as the demo user alice.
 */
final class AliceRequests {

    /** The longest any request may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String AUTHORIZATION =
            "Basic " + Base64.getEncoder().encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8));

    private AliceRequests() {}

    /**
     * Builds a {@code POST /payments} with {@code tok_visa}.
     * @param base where the app listens
     * @param key the idempotency key
     * @param amount the amount in USD cents
     * @return the request
     */
    static HttpRequest payment(URI base, String key, long amount) {
        return request(base, "/payments")
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"amount": %d, "currency": "USD", "source": "tok_visa"}""".formatted(amount)))
                .build();
    }

    /**
     * Builds a {@code GET}.
     * @param base where the app listens
     * @param path what to get, such as {@code /ledger}
     * @return the request
     */
    static HttpRequest get(URI base, String path) {
        return request(base, path).GET().build();
    }

    private static HttpRequest.Builder request(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Authorization", AUTHORIZATION);
    }
}
