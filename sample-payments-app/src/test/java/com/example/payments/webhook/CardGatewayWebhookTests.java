package com.example.payments.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The card network's webhook over real HTTP, on the embedded default: signed deliveries of one event book one
 * {@code CHARGEBACK} entry however often, and however concurrently, they come; an unsigned or wrongly signed
 * delivery gets {@code 401} and claims nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CardGatewayWebhookTests {

    private static final JsonMapper JSON = JsonMapper.shared();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final ExecutorService executor = Executors.newFixedThreadPool(20);

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private WebhookProperties properties;

    @AfterEach
    void stopExecutor() {
        this.executor.shutdownNow();
    }

    @Test
    void disputeDeliveredFiveTimesBooksOneChargeback() throws Exception {
        String paymentId = createPayment(5000);
        String body = dispute("evt_" + UUID.randomUUID(), paymentId, 1000);

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(deliver(body, sign(body)));
        }

        assertThat(answers).allSatisfy((answer) -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(JSON.readValue(answer.body(), Map.class)).isEqualTo(Map.of("received", true));
        });
        assertThat(answers.subList(1, 5))
                .allSatisfy((answer) -> assertThat(answer.headers().firstValue("Idempotent-Replayed"))
                        .hasValue("true"));
        assertThat(chargebacks(paymentId)).containsExactly(-1000L);
    }

    @Test
    void disputeDeliveredTwentyTimesConcurrentlyBooksOneChargeback() throws Exception {
        String paymentId = createPayment(5000);
        String body = dispute("evt_" + UUID.randomUUID(), paymentId, 700);
        String signature = sign(body);
        CyclicBarrier start = new CyclicBarrier(20);
        List<Future<HttpResponse<String>>> deliveries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            deliveries.add(this.executor.submit(() -> {
                start.await();
                return deliver(body, signature);
            }));
        }

        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> delivery : deliveries) {
            statuses.add(delivery.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode());
        }

        // Each delivery either got the answer or was told the first is still running (and would be retried).
        assertThat(statuses).isSubsetOf(200, 409).contains(200);
        assertThat(chargebacks(paymentId)).containsExactly(-700L);
        HttpResponse<String> redelivery = deliver(body, signature);
        assertThat(redelivery.statusCode()).isEqualTo(200);
        assertThat(chargebacks(paymentId)).containsExactly(-700L);
    }

    @Test
    void badOrMissingSignatureIsRefusedWith401AndClaimsNothing() throws Exception {
        String paymentId = createPayment(5000);
        String body = dispute("evt_" + UUID.randomUUID(), paymentId, 300);

        HttpResponse<String> forged = deliver(body, sign(body.replace("300", "900")));
        HttpResponse<String> unsigned = deliver(body, null);
        HttpResponse<String> genuine = deliver(body, sign(body));

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(forged.body()).contains("X-Gateway-Signature");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        // The refused deliveries claimed nothing: the genuine one runs, rather than replaying a 401.
        assertThat(genuine.statusCode()).isEqualTo(200);
        assertThat(genuine.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(chargebacks(paymentId)).containsExactly(-300L);
    }

    @Test
    void disputeOfAnUnknownPaymentIsAnswered404() throws Exception {
        String body = dispute("evt_" + UUID.randomUUID(), UUID.randomUUID().toString(), 100);

        HttpResponse<String> answer = deliver(body, sign(body));

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void eventWithoutAnIdIsAnswered400() throws Exception {
        String body = """
                {"type": "charge.disputed", "paymentId": "%s", "amount": 100}""".formatted(UUID.randomUUID());

        HttpResponse<String> answer = deliver(body, sign(body));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private List<Long> chargebacks(String paymentId) {
        return this.jdbc.queryForList(
                "SELECT amount FROM ledger_entry WHERE kind = 'CHARGEBACK' AND payment_id = ?",
                Long.class,
                UUID.fromString(paymentId));
    }

    private static String dispute(String eventId, String paymentId, long amount) {
        return """
                {"id": "%s", "type": "charge.disputed", "paymentId": "%s", "amount": %d}""".formatted(eventId, paymentId, amount);
    }

    private String sign(String body) {
        return new GatewaySignatureFilter(this.properties, null).sign(body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> deliver(String body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/webhooks/card-gateway"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(GatewaySignatureFilter.SIGNATURE_HEADER, signature);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String createPayment(long amount) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/payments"))
                .timeout(TIMEOUT)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:alice-secret".getBytes()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"amount\": %d, \"currency\": \"USD\", \"source\": \"tok_visa\"}".formatted(amount)))
                .build();
        HttpResponse<String> created = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        return (String) JSON.readValue(created.body(), Map.class).get("id");
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }
}
