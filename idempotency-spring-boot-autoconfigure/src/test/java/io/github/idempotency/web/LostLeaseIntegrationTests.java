package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.store.MutableClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

/**
 * A request that lost its lease (its renewals failed, as in a long pause, and another request took the key
 * over) still sends its response, but cannot overwrite the new owner's record.
 */
@SpringBootTest(
        classes = {WebTestApplication.class, LostLeaseIntegrationTests.TestClock.class},
        webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class LostLeaseIntegrationTests extends WebIntegrationTestSupport {

    @Autowired
    private MutableClock clock;

    @Test
    void requestThatLostItsLeaseSendsItsResponseButCannotOverwriteTheNewOwnersRecord(CapturedOutput output)
            throws Exception {
        TestHttpClient client = client();
        HttpRequest request = client.request("/slow", "lost-lease", "alice")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        this.store.renewFails = true;
        this.endpoints.slowRelease = new CountDownLatch(1);
        this.endpoints.slowStarted = new CountDownLatch(1);
        CompletableFuture<HttpResponse<byte[]>> original = client.sendAsync(request);
        assertThat(this.endpoints.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        this.clock.advance(Duration.ofMinutes(2));
        this.endpoints.slowStarted = new CountDownLatch(1);
        CompletableFuture<HttpResponse<byte[]>> takeover = client.sendAsync(request);
        assertThat(this.endpoints.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        this.endpoints.slowRelease.countDown();
        HttpResponse<byte[]> originalResponse = original.get(10, TimeUnit.SECONDS);
        HttpResponse<byte[]> takeoverResponse = takeover.get(10, TimeUnit.SECONDS);
        this.store.heal();
        HttpResponse<byte[]> retry = client.send(request);
        assertThat(originalResponse.statusCode()).isEqualTo(200);
        assertThat(takeoverResponse.statusCode()).isEqualTo(200);
        assertThat(originalResponse.body()).isNotEqualTo(takeoverResponse.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(takeoverResponse.body());
        assertThat(output)
                .contains(
                        "with idempotency key 'lost-lease' was not recorded: the lease expired and another caller took the key over");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {

        @Bean
        MutableClock mutableClock() {
            return new MutableClock(Instant.now());
        }
    }
}
