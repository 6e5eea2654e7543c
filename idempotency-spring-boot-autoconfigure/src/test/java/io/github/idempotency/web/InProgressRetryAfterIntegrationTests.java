package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.Idempotent;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.engine.InProgressRetryAfter;
import io.github.idempotency.engine.LeaseRenewer;
import io.github.idempotency.store.MutableClock;
import io.micrometer.observation.ObservationRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The {@code Retry-After} of a {@code 409} says when the running request's answer is likely ready. Charges
 * "take" 3 seconds of a clock the test moves while the handler waits on a latch, so no test sleeps.
 */
@SpringBootTest(
        classes = {WebTestApplication.class, InProgressRetryAfterIntegrationTests.SlowChargesConfiguration.class},
        webEnvironment = WebEnvironment.RANDOM_PORT)
class InProgressRetryAfterIntegrationTests extends WebIntegrationTestSupport {

    @Autowired
    private MutableClock clock;

    @Autowired
    private SlowCharges charges;

    @Test
    void duplicateHalfASecondIntoAThreeSecondChargeIsToldToComeBackWithinThreeSeconds() throws Exception {
        String earlier = newKey();
        CompletableFuture<HttpResponse<byte[]>> first = startCharge("/charges", earlier);
        this.clock.advance(Duration.ofSeconds(3));
        this.charges.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        String key = newKey();
        CompletableFuture<HttpResponse<byte[]>> running = startCharge("/charges", key);
        this.clock.advance(Duration.ofMillis(500));
        HttpResponse<byte[]> duplicate = charge("/charges", key);
        this.clock.advance(Duration.ofMillis(2_500));
        this.charges.release.countDown();

        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(new String(duplicate.body())).contains("retry after 3 seconds");
        assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(charge("/charges", key).headers().firstValue("Idempotent-Replayed"))
                .hasValue("true");
    }

    @Test
    void duplicateOfAnEndpointsFirstRequestIsToldToComeBackInASecond() throws Exception {
        String key = newKey();
        CompletableFuture<HttpResponse<byte[]>> running = startCharge("/first-charges", key);
        this.clock.advance(Duration.ofMillis(500));
        HttpResponse<byte[]> duplicate = charge("/first-charges", key);
        this.charges.release.countDown();

        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    private CompletableFuture<HttpResponse<byte[]>> startCharge(String path, String key) throws Exception {
        this.charges.started = new CountDownLatch(1);
        this.charges.release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<byte[]>> response = client().sendAsync(chargeRequest(path, key));
        assertThat(this.charges.started.await(10, TimeUnit.SECONDS)).isTrue();
        return response;
    }

    private HttpResponse<byte[]> charge(String path, String key) throws Exception {
        return client().send(chargeRequest(path, key));
    }

    private HttpRequest chargeRequest(String path, String key) {
        return client().request(path, key, "alice")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class SlowChargesConfiguration {

        @Bean
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        }

        @Bean
        IdempotencyEngine idempotencyEngine(IdempotencyStore store, LeaseRenewer leaseRenewer, MutableClock clock) {
            // The engine times handlers on the clock the store counts leases and claims on.
            return new IdempotencyEngine(
                    store,
                    leaseRenewer,
                    null,
                    Duration.ofSeconds(60),
                    false,
                    InProgressRetryAfter.estimated(clock),
                    ObservationRegistry.NOOP);
        }

        @Bean
        SlowCharges slowCharges() {
            return new SlowCharges();
        }
    }

    @RestController
    static class SlowCharges {

        volatile CountDownLatch started = new CountDownLatch(1);

        volatile CountDownLatch release = new CountDownLatch(1);

        @PostMapping("/charges")
        @Idempotent
        Map<String, Object> charge() throws InterruptedException {
            return awaitRelease();
        }

        @PostMapping("/first-charges")
        @Idempotent
        Map<String, Object> firstCharge() throws InterruptedException {
            return awaitRelease();
        }

        private Map<String, Object> awaitRelease() throws InterruptedException {
            CountDownLatch release = this.release;
            this.started.countDown();
            return Map.of("released", release.await(30, TimeUnit.SECONDS));
        }
    }
}
