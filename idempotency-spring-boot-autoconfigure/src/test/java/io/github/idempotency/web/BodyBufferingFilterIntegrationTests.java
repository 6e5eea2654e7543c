package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.autoconfigure.IdempotencyWebMvcAutoConfiguration;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * A filter that holds the response body back ({@link ShallowEtagHeaderFilter} does, for every method), ordered
 * before the starter's filter as semantics.md asks: the handler's body is recorded and replayed whole.
 */
@SpringBootTest(
        classes = {WebTestApplication.class, BodyBufferingFilterIntegrationTests.EtagFilter.class},
        webEnvironment = WebEnvironment.RANDOM_PORT)
class BodyBufferingFilterIntegrationTests extends WebIntegrationTestSupport {

    @Test
    void responseBufferedByAFilterOrderedBeforeTheStartersIsReplayedWhole() throws Exception {
        TestHttpClient client = client();
        String key = UUID.randomUUID().toString();

        HttpResponse<byte[]> first = client.post("/orders", key, "{\"amount\":1500}", "alice");
        HttpResponse<byte[]> replay = client.post("/orders", key, "{\"amount\":1500}", "alice");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(body(first)).contains("\"amount\":1500");
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body()).isEqualTo(first.body());
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class EtagFilter {

        @Bean
        FilterRegistrationBean<ShallowEtagHeaderFilter> etagFilter() {
            FilterRegistrationBean<ShallowEtagHeaderFilter> registration =
                    new FilterRegistrationBean<>(new ShallowEtagHeaderFilter());
            registration.setOrder(IdempotencyWebMvcAutoConfiguration.FILTER_ORDER - 1);
            return registration;
        }
    }
}
