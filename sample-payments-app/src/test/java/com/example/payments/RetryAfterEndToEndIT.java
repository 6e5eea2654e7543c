package com.example.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idempotency.client.IdempotentResponses;
import io.github.idempotency.client.IdempotentRestClientCustomizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * A duplicate of a 3 s charge, sent while the charge runs, is told to come back when the answer is likely
 * ready, not when the 60 s lease ends: {@code Retry-After} is at most 3 s, and the {@code RestClient}
 * companion, which obeys it, gets the recorded payment about a second after the charge ended.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.gateway.latency=3s")
class RetryAfterEndToEndIT {

    private static final String PAYMENT = "{\"amount\": 3000, \"currency\": \"USD\", \"source\": \"tok_visa\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private IdempotentRestClientCustomizer idempotentRetries;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void duplicateDuringAChargeGetsARetryAfterOfAtMostTheChargeAndTheCompanionGetsTheAnswerSoonAfterIt()
            throws Exception {
        // Charges first: the endpoint's recent durations are what the estimate goes by (the longest but one,
        // so that a cold first charge does not count).
        for (int i = 0; i < 2; i++) {
            assertThat(post(UUID.randomUUID().toString()).statusCode()).isEqualTo(201);
        }
        String key = UUID.randomUUID().toString();
        AtomicReference<Long> firstAnsweredAt = new AtomicReference<>();
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            HttpResponse<String> answer = post(key);
            firstAnsweredAt.set(System.nanoTime());
            return answer;
        });

        // A duplicate 0.5 s into the charge, by the claim's own time in the store.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> this.jdbc
                        .queryForList(
                                "SELECT created_at FROM idempotency_record WHERE idempotency_key = ?", Long.class, key)
                        .stream()
                        .anyMatch((claimedAt) -> System.currentTimeMillis() - claimedAt >= 500));
        HttpResponse<String> inProgress = post(key);
        ResponseEntity<String> companion = client().post()
                .uri("/payments")
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .body(PAYMENT)
                .retrieve()
                .toEntity(String.class);
        long companionAnsweredAt = System.nanoTime();

        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertThat(inProgress.statusCode()).isEqualTo(409);
        long retryAfter =
                Long.parseLong(inProgress.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3L);
        assertThat(companion.getStatusCode().value()).isEqualTo(201);
        assertThat(IdempotentResponses.isReplayed(companion)).isTrue();
        assertThat(companion.getBody()).isEqualTo(first.get().body());
        // "About a second": whole seconds of Retry-After, rounded up, plus a busy machine's slack.
        assertThat(Duration.ofNanos(companionAnsweredAt - firstAnsweredAt.get()))
                .isLessThan(Duration.ofMillis(2500));
    }

    private RestClient client() {
        return RestClient.builder()
                .baseUrl("http://localhost:" + this.port)
                .defaultHeaders((headers) -> headers.setBasicAuth("alice", "alice-secret"))
                .apply(this.idempotentRetries)
                .build();
    }

    private HttpResponse<String> post(String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/payments"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:alice-secret".getBytes()))
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PAYMENT))
                .build();
        try {
            return this.http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
