package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the HTTP tests of {@link WebTestApplication} share: its server, its endpoints' run counters, and
 * its store, healed after every test.
 */
abstract class WebIntegrationTestSupport {

    @LocalServerPort
    int port;

    @Autowired
    WebTestApplication.Endpoints endpoints;

    @Autowired
    FaultyStore store;

    @AfterEach
    void healStore() {
        this.store.heal();
    }

    TestHttpClient client() {
        return new TestHttpClient(this.port);
    }

    /**
     * Asserts that a response is a problem of the given type, with a title and a detail and no stack trace.
     */
    static void assertProblem(HttpResponse<byte[]> response, String type) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        String body = body(response);
        assertThat(body)
                .contains("\"type\":\"https://idempotency-spring-boot-starter.github.io/problems/" + type + "\"");
        assertThat(body)
                .contains("\"title\":")
                .contains("\"detail\":")
                .doesNotContain("Exception")
                .doesNotContainPattern("at [\\w$]+\\.[\\w$.]+\\(");
    }

    static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
