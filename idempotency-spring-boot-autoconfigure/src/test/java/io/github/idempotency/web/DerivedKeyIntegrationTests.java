package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.Idempotent;
import io.github.idempotency.KeySource;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keys the server derives from the request instead of the {@code Idempotency-Key} header: a key expression
 * over the JSON body, the headers, the path variables or the query, and the request's own fingerprint.
 */
@SpringBootTest(
        classes = {WebTestApplication.class, DerivedKeyIntegrationTests.DerivedKeyConfiguration.class},
        webEnvironment = WebEnvironment.RANDOM_PORT)
class DerivedKeyIntegrationTests extends WebIntegrationTestSupport {

    @Autowired
    private DerivedKeyEndpoints derived;

    @Test
    void secondDeliveryOfAWebhookWithTheSameBodyIdAndOtherHeadersGetsTheRecordedResponse() throws Exception {
        String event = dispute(newId());
        int runs = this.derived.runs("webhook");
        HttpResponse<byte[]> first = send(request("/public/webhooks/card-gateway")
                .header("X-Gateway-Signature", "first-attempt")
                .header("X-Delivery-Attempt", "1")
                .POST(HttpRequest.BodyPublishers.ofString(event))
                .build());
        HttpResponse<byte[]> redelivery = send(request("/public/webhooks/card-gateway")
                .header("X-Gateway-Signature", "second-attempt")
                .header("X-Delivery-Attempt", "2")
                .header("Idempotency-Key", "ignored-on-this-endpoint")
                .POST(HttpRequest.BodyPublishers.ofString(event))
                .build());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(redelivery.statusCode()).isEqualTo(200);
        assertThat(redelivery.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(redelivery.body()).isEqualTo(first.body());
        assertThat(this.derived.runs("webhook")).isEqualTo(runs + 1);
    }

    @Test
    void webhookWithOtherBodyIdRunsAgain() throws Exception {
        int runs = this.derived.runs("webhook");

        postJson("/public/webhooks/card-gateway", dispute(newId()));
        postJson("/public/webhooks/card-gateway", dispute(newId()));

        assertThat(this.derived.runs("webhook")).isEqualTo(runs + 2);
    }

    @Test
    void webhookWithoutIdGets400NamingTheExpressionAndDoesNotRun() throws Exception {
        int runs = this.derived.runs("webhook");

        HttpResponse<byte[]> response =
                postJson("/public/webhooks/card-gateway", "{\"type\":\"charge.disputed\",\"amount\":1000}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, "missing-key");
        assertThat(body(response)).contains("#body['id']");
        assertThat(this.derived.runs("webhook")).isEqualTo(runs);
    }

    @Test
    void webhookWithNullBlankTooLongOrObjectIdGets400() throws Exception {
        assertProblem(postJson("/public/webhooks/card-gateway", "{\"id\":null}"), "missing-key");
        assertProblem(postJson("/public/webhooks/card-gateway", "{\"id\":\"  \"}"), "invalid-key");
        assertProblem(postJson("/public/webhooks/card-gateway", "{\"id\":\"" + "e".repeat(256) + "\"}"), "invalid-key");
        HttpResponse<byte[]> object = postJson("/public/webhooks/card-gateway", "{\"id\":{\"value\":\"evt_1\"}}");
        assertProblem(object, "invalid-key");
        assertThat(body(object)).contains("#body['id']").contains("not a text or a number");
    }

    @Test
    void webhookWhoseBodyIsNotJsonGets400() throws Exception {
        HttpResponse<byte[]> response = postJson("/public/webhooks/card-gateway", "id=evt_1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, "invalid-key");
        assertThat(body(response)).contains("not valid JSON");
    }

    @Test
    void nestedBodyFieldInDottedFormIsTheKeyAndAMissingParentIsAMissingKey() throws Exception {
        String event = "{\"data\":{\"object\":{\"id\":\"" + newId() + "\"}}}";

        postJson("/public/webhooks/nested", event);
        HttpResponse<byte[]> redelivery = postJson("/public/webhooks/nested", event);
        HttpResponse<byte[]> withoutData = postJson("/public/webhooks/nested", "{\"type\":\"ping\"}");

        assertThat(redelivery.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(this.derived.runs("nested")).isEqualTo(1);
        assertThat(withoutData.statusCode()).isEqualTo(400);
        assertProblem(withoutData, "missing-key");
    }

    @Test
    void headerNamedInTheExpressionIsTheKeyWhateverItsCase() throws Exception {
        String delivery = newId();

        HttpResponse<byte[]> first = sendDelivery("X-Delivery-Id", delivery);
        HttpResponse<byte[]> retry = sendDelivery("x-delivery-id", delivery);
        sendDelivery("X-Delivery-Id", newId());
        HttpResponse<byte[]> without = send(request("/deliveries")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(this.derived.runs("deliveries")).isEqualTo(2);
        assertProblem(without, "missing-key");
        assertThat(body(without)).contains("#headers['x-delivery-id']");
    }

    @Test
    void pathVariableNamedInTheExpressionIsTheKey() throws Exception {
        String order = newId();

        HttpResponse<byte[]> first = ship(order);
        HttpResponse<byte[]> retry = ship(order);
        ship(newId());

        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(this.derived.runs("shipments")).isEqualTo(2);
    }

    @Test
    void firstValueOfTheQueryParameterNamedInTheExpressionIsTheKey() throws Exception {
        String batch = newId();

        postJson("/imports?batch=" + batch + "&batch=other", "{}");
        HttpResponse<byte[]> retry = postJson("/imports?batch=" + batch + "&batch=other", "{}");
        postJson("/imports?batch=" + newId(), "{}");
        HttpResponse<byte[]> without = postJson("/imports?other=" + batch, "{}");

        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(this.derived.runs("imports")).isEqualTo(2);
        assertProblem(without, "missing-key");
    }

    @Test
    void identicalPayloadsWithinTheTtlRunOnceAndDifferentPayloadsRunTwice() throws Exception {
        String ping = "{\"ping\":\"" + newId() + "\"}";
        int runs = this.derived.runs("payload");

        HttpResponse<byte[]> first = postJson("/public/webhooks/unsigned", ping);
        HttpResponse<byte[]> identical = postJson("/public/webhooks/unsigned", ping);
        HttpResponse<byte[]> different = postJson("/public/webhooks/unsigned", "{\"ping\":\"" + newId() + "\"}");

        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(identical.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(identical.body()).isEqualTo(first.body());
        assertThat(different.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(this.derived.runs("payload")).isEqualTo(runs + 2);
    }

    @Test
    void optionalDerivedKeyWithoutValueRunsUnprotected() throws Exception {
        int runs = this.derived.runs("optional");

        postJson("/public/webhooks/optional", "{\"type\":\"ping\"}");
        HttpResponse<byte[]> again = postJson("/public/webhooks/optional", "{\"type\":\"ping\"}");

        assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(this.derived.runs("optional")).isEqualTo(runs + 2);
    }

    private HttpResponse<byte[]> sendDelivery(String header, String delivery) throws Exception {
        return send(request("/deliveries")
                .header(header, delivery)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    }

    private HttpResponse<byte[]> ship(String order) throws Exception {
        return send(request("/orders/" + order + "/shipment")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"carrier\":\"ups\"}"))
                .build());
    }

    private HttpResponse<byte[]> postJson(String path, String json) throws Exception {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private HttpRequest.Builder request(String path) {
        // The webhooks are public; the other endpoints are alice's, without an Idempotency-Key header.
        return client().request(path, null, path.startsWith("/public/") ? null : "alice");
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return client().send(request);
    }

    private static String dispute(String id) {
        return "{\"id\":\"" + id + "\",\"type\":\"charge.disputed\",\"paymentId\":\"pay_1\",\"amount\":1000}";
    }

    private static String newId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class DerivedKeyConfiguration {

        @Bean
        DerivedKeyEndpoints derivedKeyEndpoints() {
            return new DerivedKeyEndpoints();
        }
    }

    @RestController
    static class DerivedKeyEndpoints {

        private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        int runs(String endpoint) {
            return this.runs
                    .computeIfAbsent(endpoint, (name) -> new AtomicInteger())
                    .get();
        }

        private Map<String, Object> run(String endpoint) {
            int run = this.runs
                    .computeIfAbsent(endpoint, (name) -> new AtomicInteger())
                    .incrementAndGet();
            return Map.of("received", true, "run", run);
        }

        @PostMapping("/public/webhooks/card-gateway")
        @Idempotent(key = "#body['id']", scope = IdempotencyScope.GLOBAL)
        Map<String, Object> cardGateway(@RequestBody String event) {
            return run("webhook");
        }

        @PostMapping("/public/webhooks/nested")
        @Idempotent(key = "#body.data.object.id", scope = IdempotencyScope.GLOBAL)
        Map<String, Object> nested(@RequestBody String event) {
            return run("nested");
        }

        @PostMapping("/public/webhooks/unsigned")
        @Idempotent(keySource = KeySource.PAYLOAD, scope = IdempotencyScope.GLOBAL)
        Map<String, Object> unsigned(@RequestBody String event) {
            return run("payload");
        }

        @PostMapping("/public/webhooks/optional")
        @Idempotent(key = "#body['id']", required = false)
        Map<String, Object> optional(@RequestBody String event) {
            return run("optional");
        }

        @PostMapping("/deliveries")
        @Idempotent(key = "#headers['x-delivery-id']")
        Map<String, Object> delivery(@RequestBody String body) {
            return run("deliveries");
        }

        @PutMapping("/orders/{orderId}/shipment")
        @Idempotent(key = "#pathVariables.orderId", scope = IdempotencyScope.USER)
        Map<String, Object> ship(@PathVariable String orderId, @RequestBody String body) {
            return run("shipments");
        }

        @PostMapping("/imports")
        @Idempotent(key = "#query['batch']")
        Map<String, Object> importBatch(@RequestBody String body) {
            return run("imports");
        }
    }
}
