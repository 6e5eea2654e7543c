package com.example.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.client.IdempotentResponses;
import io.github.idempotency.client.IdempotentRestClientCustomizer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code RestClient} companion against the real app: a client whose read timeout (500 ms) is shorter
 * than every card charge (1.5 s) gives up on its first attempt while the charge runs, retries with the
 * same key, meets the running request's {@code 409}, and ends with the replay of the one payment made.
 *
 * <p>The app answers a duplicate of a running request {@code 409} with a {@code Retry-After} estimated from
 * recent charges; before the first charge has ended there are none, and the estimate is the time already
 * spent. The client honours at most 1 s of it ({@code idempotency.client.max-retry-after}), so that it asks
 * again soon after the charge ends ({@code RetryAfterEndToEndIT} shows the estimate itself).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sample.gateway.latency=1500ms",
            "idempotency.client.max-attempts=10",
            "idempotency.client.initial-backoff=200ms",
            "idempotency.client.max-retry-after=1s"
        })
class RestClientRetriesEndToEndIT {

    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private static final JsonMapper JSON = JsonMapper.shared();

    @LocalServerPort
    private int port;

    @Autowired
    private IdempotentRestClientCustomizer idempotentRetries;

    /** Every attempt the client made, as the interceptors after the companion saw it. */
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());

    @Test
    void readTimeoutsShorterThanTheChargeStillMakeExactlyOnePayment() {
        // Reads payments with the default timeouts: a cold app's first answer may take longer than 500 ms.
        RestClient reader = alicesClient().build();
        RestClient client = alicesClient()
                .requestFactory(requestFactory())
                // Buffered, so the recorder and the caller can both read each answer's body.
                .bufferContent((uri, method) -> true)
                .apply(this.idempotentRetries)
                .requestInterceptor(this::record)
                .build();
        List<String> before = paymentIds(reader);

        ResponseEntity<String> answer = pay(client, null);
        List<Attempt> firstCall = List.copyOf(this.attempts);
        String key = IdempotentResponses.key(answer).orElseThrow();
        // The caller stored the key with its order; after a restart it sends the same payment again.
        ResponseEntity<String> afterRestart = pay(client, key);

        assertThat(answer.getStatusCode().value()).isEqualTo(201);
        assertThat(IdempotentResponses.isReplayed(answer)).isTrue();
        String paymentId = id(answer.getBody());
        assertThat(firstCall).hasSizeBetween(2, 10);
        assertThat(firstCall.get(0).timedOut()).isTrue();
        assertThat(this.attempts)
                .allSatisfy((attempt) -> assertThat(attempt.key()).isEqualTo(key));
        assertThat(this.attempts)
                .filteredOn((attempt) -> attempt.status() >= 200 && attempt.status() < 300)
                .isNotEmpty()
                .allSatisfy((attempt) -> assertThat(id(attempt.body())).isEqualTo(paymentId));
        assertThat(afterRestart.getStatusCode().value()).isEqualTo(201);
        assertThat(IdempotentResponses.isReplayed(afterRestart)).isTrue();
        assertThat(id(afterRestart.getBody())).isEqualTo(paymentId);
        List<String> after = paymentIds(reader);
        assertThat(after).hasSize(before.size() + 1).containsOnlyOnce(paymentId);
    }

    private RestClient.Builder alicesClient() {
        return RestClient.builder()
                .baseUrl("http://localhost:" + this.port)
                .defaultHeaders((headers) -> headers.setBasicAuth("alice", "alice-secret"));
    }

    private ResponseEntity<String> pay(RestClient client, String key) {
        return client.post()
                .uri("/payments")
                .headers((headers) -> {
                    if (key != null) {
                        headers.set("Idempotency-Key", key);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"amount\": 4200, \"currency\": \"USD\", \"source\": \"tok_visa\"}")
                .retrieve()
                .toEntity(String.class);
    }

    private static List<String> paymentIds(RestClient client) {
        List<String> ids = new ArrayList<>();
        JSON.readTree(client.get().uri("/payments").retrieve().body(String.class))
                .forEach((payment) -> ids.add(payment.get("id").asString()));
        return ids;
    }

    private ClientHttpResponse record(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        String key = request.getHeaders().getFirst("Idempotency-Key");
        try {
            ClientHttpResponse response = execution.execute(request, body);
            this.attempts.add(new Attempt(
                    key,
                    response.getStatusCode().value(),
                    new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8),
                    false));
            return response;
        } catch (IOException ex) {
            this.attempts.add(new Attempt(key, 0, null, true));
            throw ex;
        }
    }

    private static String id(String paymentJson) {
        JsonNode payment = JSON.readTree(paymentJson);
        return payment.get("id").asString();
    }

    private static JdkClientHttpRequestFactory requestFactory() {
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build());
        factory.setReadTimeout(READ_TIMEOUT);
        return factory;
    }

    /**
     * One attempt as the client saw it.
     * @param key the idempotency key it carried
     * @param status the answer's status, 0 when it timed out
     * @param body the answer's body, {@code null} when it timed out
     * @param timedOut whether no answer came within the read timeout
     */
    record Attempt(String key, int status, String body, boolean timedOut) {}
}
