package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.engine.LeaseRenewer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * A handler slower than its lease keeps its claim: the lease is renewed every half lease while it runs,
 * and renewing stops when it ends.
 */
@SpringBootTest(
        classes = WebTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "idempotency.lease=2s")
class LeaseRenewalIntegrationTests extends WebIntegrationTestSupport {

    @Autowired
    private LeaseRenewer leaseRenewer;

    @Test
    void slowHandlerKeepsItsClaimPastTheLeaseAndRenewingStopsWhenItEnds() throws Exception {
        TestHttpClient client = client();
        this.endpoints.slowStarted = new CountDownLatch(1);
        this.endpoints.slowRelease = new CountDownLatch(1);
        this.store.renewed = new CountDownLatch(3);
        CompletableFuture<HttpResponse<byte[]>> slow = client.sendAsync(client.request("/slow", "slow-key", "alice")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(this.endpoints.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // Three renewals, one every second, outlast the original 2 s lease: only renewal keeps the claim. A
        // renewal late by up to a second, on a busy machine, still comes before the lease ends.
        assertThat(this.store.renewed.await(10, TimeUnit.SECONDS)).isTrue();
        HttpResponse<byte[]> duplicate = client.send(client.request("/slow", "slow-key", "alice")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(duplicate.statusCode()).isEqualTo(409);
        this.endpoints.slowRelease.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(this.endpoints.runs("slow")).isEqualTo(1);
        assertThat(this.leaseRenewer.activeRenewals()).isZero();
    }
}
