package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator sees of idempotent HTTP requests, over real HTTP with Spring Boot Actuator: the metrics of
 * each outcome, the key in the handler's MDC, the failures to record counted and logged, and the
 * {@code idempotency} endpoint and health indicator.
 */
@SpringBootTest(
        classes = WebTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=health,idempotency",
            "management.endpoint.health.show-components=always"
        })
@ExtendWith(OutputCaptureExtension.class)
class OperationsIntegrationTests extends WebIntegrationTestSupport {

    private static final String CREATE = "WebTestApplication.Endpoints#create(Order, HttpServletResponse)";

    private static final String ORDER = "{\"amount\":1}";

    private final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    MeterRegistry meters;

    @Test
    void requestWithoutKeyIsTimedAsRejected() throws Exception {
        double before = operations("rejected", "none");

        HttpResponse<byte[]> response = client().post("/orders", null, ORDER, "alice");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(operations("rejected", "none")).isEqualTo(before + 1);
    }

    @Test
    void firstRequestAndReplayAreTimedAsExecutedAndReplayed() throws Exception {
        String key = newKey();
        double executed = operations("executed", "recorded");
        double replayed = operations("replayed", "none");

        client().post("/orders", key, ORDER, "alice");
        client().post("/orders", key, ORDER, "alice");
        client().post("/orders", key, "{\"amount\":2}", "alice");

        assertThat(operations("executed", "recorded")).isEqualTo(executed + 1);
        assertThat(operations("replayed", "none")).isEqualTo(replayed + 1);
        assertThat(operations("key_reused", "none")).isPositive();
        assertThat(this.meters
                        .get("idempotency.store")
                        .tags("store", "FaultyStore", "operation", "complete", "result", "ok")
                        .timer()
                        .count())
                .isPositive();
    }

    @Test
    void handlerRunsWithTheKeyInTheMdc() throws Exception {
        String key = newKey();

        HttpResponse<byte[]> response = client().post("/logged", key, "{}", "alice");

        assertThat(this.json.readTree(response.body()).get("mdcKey").asString()).isEqualTo(key);
    }

    @Test
    void outcomeThatCannotBeRecordedIsCountedAndLoggedAtError(CapturedOutput output) throws Exception {
        String key = newKey();
        double before = recordFailures("record_failed");
        this.store.completeFails = true;

        HttpResponse<byte[]> response = client().post("/orders", key, ORDER, "alice");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(recordFailures("record_failed")).isEqualTo(before + 1);
        assertThat(output)
                .contains("ERROR")
                .contains(key)
                .contains("could not be recorded, although the operation ran");
    }

    @Test
    void endpointDescribesRecordOfUserMethodAndPathWithoutItsBody() throws Exception {
        String key = newKey();
        client().post("/orders", key, ORDER, "alice");

        HttpResponse<byte[]> response =
                actuator("GET", "/actuator/idempotency?user=alice&method=POST&path=/orders&key=" + key);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode record = this.json.readTree(response.body());
        assertThat(record.get("scope").asString()).isEqualTo("user:alice POST /orders");
        assertThat(record.get("key").asString()).isEqualTo(key);
        assertThat(record.get("state").asString()).isEqualTo("completed");
        assertThat(record.get("expiresAt").asString()).isNotEmpty();
        assertThat(record.get("response").get("status").asInt()).isEqualTo(201);
        assertThat(record.get("response").get("bodySize").asInt()).isPositive();
        assertThat(record.get("response").get("headerNames").toString()).contains("Location");
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("\"amount\"").doesNotContain("/orders/");
    }

    @Test
    void endpointDeletesRecordSoThatTheRetryRunsAgain() throws Exception {
        String key = newKey();
        client().post("/orders", key, ORDER, "alice");
        int runs = this.endpoints.runs("orders");
        String address = "/actuator/idempotency?user=alice&method=post&path=/orders&key=" + key;

        assertThat(actuator("DELETE", address).statusCode()).isEqualTo(204);

        assertThat(actuator("GET", address).statusCode()).isEqualTo(404);
        assertThat(actuator("DELETE", address).statusCode()).isEqualTo(404);
        assertThat(client().post("/orders", key, ORDER, "alice").statusCode()).isEqualTo(201);
        assertThat(this.endpoints.runs("orders")).isEqualTo(runs + 1);
    }

    @Test
    void endpointAddressesAnonymousCallerWithoutUser() throws Exception {
        String key = newKey();
        client().post("/public/anonymous", key, "{}", null);

        HttpResponse<byte[]> response =
                actuator("GET", "/actuator/idempotency?method=POST&path=/public/anonymous&key=" + key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(this.json.readTree(response.body()).get("scope").asString())
                .isEqualTo("anonymous POST /public/anonymous");
    }

    @Test
    void endpointAddressesRawScopeAndScopeType() throws Exception {
        String key = newKey();
        client().post("/user-scoped/a", key, "{}", "bob");

        assertThat(actuator("GET", "/actuator/idempotency?scope=user:bob&key=" + key)
                        .statusCode())
                .isEqualTo(200);
        assertThat(actuator("GET", "/actuator/idempotency?user=bob&scopeType=USER&key=" + key)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void endpointRefusesIncompleteAddress() throws Exception {
        HttpResponse<byte[]> response = actuator("GET", "/actuator/idempotency?user=alice&key=k");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("'method' and 'path' are required");
    }

    @Test
    void healthReportsTheStore() throws Exception {
        HttpResponse<byte[]> response = actuator("GET", "/actuator/health/idempotency");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = this.json.readTree(response.body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
    }

    private HttpResponse<byte[]> actuator(String method, String path) throws Exception {
        HttpRequest request = client().request(path, null, "alice")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return client().send(request);
    }

    private double operations(String outcome, String record) {
        Timer timer = this.meters
                .find("idempotency.operation")
                .tags("outcome", outcome, "record", record, "store", "FaultyStore", "operation", CREATE)
                .timer();
        return (timer != null) ? timer.count() : 0;
    }

    private double recordFailures(String record) {
        Counter counter = this.meters
                .find("idempotency.record.failures")
                .tags("record", record, "operation", CREATE)
                .counter();
        return (counter != null) ? counter.count() : 0;
    }

    private static String newKey() {
        return "ops-" + UUID.randomUUID();
    }
}
