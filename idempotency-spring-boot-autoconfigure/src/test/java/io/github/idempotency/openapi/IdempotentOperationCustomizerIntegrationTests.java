package io.github.idempotency.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.Idempotent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document that springdoc-openapi serves for an application with {@code @Idempotent} endpoints:
 * the key header, the replay header and the problem answers on idempotent operations, nothing on others.
 */
@SpringBootTest(
        classes = IdempotentOperationCustomizerIntegrationTests.OpenApiTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "idempotency.store.type=memory")
class IdempotentOperationCustomizerIntegrationTests {

    @LocalServerPort
    int port;

    private JsonNode paths;

    @BeforeEach
    void fetchDocument() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/v3/api-docs"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        this.paths = JsonMapper.builder().build().readTree(response.body()).get("paths");
    }

    @Test
    void idempotentOperationDocumentsRequiredKeyHeader() {
        JsonNode header = parameter(this.paths.get("/orders").get("post"), "Idempotency-Key");

        assertThat(header).isNotNull();
        assertThat(header.get("in").asString()).isEqualTo("header");
        assertThat(header.get("required").asBoolean()).isTrue();
        assertThat(header.get("schema").get("maxLength").asInt()).isEqualTo(255);
    }

    @Test
    void optionalKeyIsDocumentedAsNotRequired() {
        JsonNode header = parameter(this.paths.get("/optional").get("post"), "Idempotency-Key");

        assertThat(header.get("required").asBoolean()).isFalse();
    }

    @Test
    void idempotentOperationDocumentsProblemAnswers() {
        JsonNode responses = this.paths.get("/orders").get("post").get("responses");

        for (String status : List.of("400", "409", "413", "422", "503")) {
            assertThat(responses.get(status).get("content").has("application/problem+json"))
                    .as(status)
                    .isTrue();
        }
        assertThat(responses.get("409").get("headers").has("Retry-After")).isTrue();
        assertThat(responses.get("503").get("headers").has("Retry-After")).isTrue();
        assertThat(responses.get("409").get("description").asString())
                .contains("https://idempotency-spring-boot-starter.github.io/problems/in-progress");
    }

    @Test
    void idempotentOperationDocumentsReplayedHeaderOnItsOwnAnswer() {
        // A ResponseEntity is documented as 200 unless the handler says otherwise.
        JsonNode ok = this.paths.get("/orders").get("post").get("responses").get("200");

        assertThat(ok.get("headers").has("Idempotent-Replayed")).isTrue();
    }

    @Test
    void operationsNeverInterceptedAreLeftAlone() {
        assertThat(parameter(this.paths.get("/plain").get("post"), "Idempotency-Key"))
                .isNull();
        assertThat(this.paths.get("/plain").get("post").get("responses").has("409"))
                .isFalse();
        // @Idempotent on the controller, but a GET handler is never intercepted.
        assertThat(parameter(this.paths.get("/things").get("get"), "Idempotency-Key"))
                .isNull();
        assertThat(parameter(this.paths.get("/things").get("post"), "Idempotency-Key"))
                .isNotNull();
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        JsonNode parameters = operation.get("parameters");
        List<JsonNode> found = new ArrayList<>();
        if (parameters != null) {
            parameters.forEach((parameter) -> {
                if (name.equals(parameter.get("name").asString())) {
                    found.add(parameter);
                }
            });
        }
        return found.isEmpty() ? null : found.get(0);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class OpenApiTestApplication {

        @Bean
        SecurityFilterChain openSecurity(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(
                            (requests) -> requests.anyRequest().permitAll())
                    .csrf((csrf) -> csrf.disable())
                    .build();
        }

        @RestController
        static class OrderController {

            @PostMapping("/orders")
            @Idempotent
            ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, Object> order) {
                return ResponseEntity.created(URI.create("/orders/1")).body(order);
            }

            @PostMapping("/optional")
            @Idempotent(required = false)
            Map<String, Object> optional() {
                return Map.of();
            }

            @PostMapping("/plain")
            Map<String, Object> plain() {
                return Map.of();
            }
        }

        @RestController
        @Idempotent
        static class ThingController {

            @GetMapping("/things")
            List<String> list() {
                return List.of();
            }

            @PostMapping("/things")
            String create() {
                return "created";
            }
        }
    }
}
