package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * A lost response without a crash: the client gives up while the handler runs. The handler is not stopped,
 * its outcome is recorded when it completes, and the client's retry gets that outcome instead of a second run.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ClientDisconnectIntegrationTests extends WebIntegrationTestSupport {

    @Test
    void clientThatGivesUpMidHandlerGetsTheRecordedResponseOnRetry() throws Exception {
        TestHttpClient client = client();
        this.endpoints.slowStarted = new CountDownLatch(1);
        this.endpoints.slowRelease = new CountDownLatch(1);
        int runs = this.endpoints.runs("slow");
        // The client's own timeout closes the connection while the handler is held.
        CompletableFuture<HttpResponse<byte[]>> abandoned =
                client.sendAsync(client.request("/slow", "gave-up-key", "alice")
                        .timeout(Duration.ofMillis(300))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
        assertThat(this.endpoints.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(abandoned)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(HttpTimeoutException.class);
        this.endpoints.slowRelease.countDown();

        HttpResponse<byte[]> retry = retryUntilNotInProgress(client);

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(this.endpoints.runs("slow")).isEqualTo(runs + 1);
    }

    // The handler finishes on its own thread after the client left: until it has recorded its outcome, the
    // key answers 409.
    private static HttpResponse<byte[]> retryUntilNotInProgress(TestHttpClient client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<byte[]> response = client.send(client.request("/slow", "gave-up-key", "alice")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build());
            if (response.statusCode() != 409 || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(20);
        }
    }
}
