package com.example.payments;

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
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample app's HTTP API as the tests that run the app call it, over real HTTP and as its users, with
 * the checks they make on its answers.
 */
final class PaymentsHttpClient {

    static final Caller ALICE = new Caller("alice", "alice-secret");

    static final Caller BOB = new Caller("bob", "bob-secret");

    static final String REPLAYED = "Idempotent-Replayed";

    /** The longest any request may take, a bound for the callers' waits too. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private final Supplier<URI> baseUri;

    /**
     * Creates a client.
     * @param baseUri where the app listens, such as {@code http://localhost:8080}; asked on every request,
     * since a test learns its app's port only once the app runs
     */
    PaymentsHttpClient(Supplier<URI> baseUri) {
        this.baseUri = baseUri;
    }

    HttpResponse<byte[]> post(Caller caller, String path, String key, String json) throws Exception {
        HttpRequest.Builder request = request(caller, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(Caller caller, String path) throws Exception {
        HttpResponse<byte[]> response =
                this.http.send(request(caller, path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response;
    }

    List<String> paymentIds(Caller caller) throws Exception {
        List<String> ids = new ArrayList<>();
        json(get(caller, "/payments"))
                .forEach(payment -> ids.add(payment.get("id").asString()));
        return ids;
    }

    int paymentCount(Caller caller) throws Exception {
        return paymentIds(caller).size();
    }

    private HttpRequest.Builder request(Caller caller, String path) {
        return HttpRequest.newBuilder(this.baseUri.get().resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", caller.basicAuthorization());
    }

    static void assertExecuted(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue(REPLAYED)).as("replayed").isEmpty();
    }

    static void assertReplayOf(HttpResponse<byte[]> original, HttpResponse<byte[]> retry) {
        assertThat(retry.statusCode()).isEqualTo(original.statusCode());
        assertThat(retry.headers().firstValue(REPLAYED)).hasValue("true");
        assertThat(retry.body()).isEqualTo(original.body());
    }

    static void assertProblem(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        return JSON.readTree(response.body());
    }

    static String id(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(201);
        return json(response).get("id").asString();
    }

    static String payment(long amount, String source) {
        return """
                {"amount": %d, "currency": "USD", "source": "%s"}""".formatted(amount, source);
    }

    static String refund(long amount) {
        return """
                {"amount": %d}""".formatted(amount);
    }

    static String newKey() {
        return UUID.randomUUID().toString();
    }

    record Caller(String name, String password) {

        String basicAuthorization() {
            String credentials = this.name + ":" + this.password;
            return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }
    }
}
