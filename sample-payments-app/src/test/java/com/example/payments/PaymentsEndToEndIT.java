package com.example.payments;

import static com.example.payments.PaymentsHttpClient.ALICE;
import static com.example.payments.PaymentsHttpClient.BOB;
import static com.example.payments.PaymentsHttpClient.REPLAYED;
import static com.example.payments.PaymentsHttpClient.assertExecuted;
import static com.example.payments.PaymentsHttpClient.assertProblem;
import static com.example.payments.PaymentsHttpClient.assertReplayOf;
import static com.example.payments.PaymentsHttpClient.id;
import static com.example.payments.PaymentsHttpClient.json;
import static com.example.payments.PaymentsHttpClient.newKey;
import static com.example.payments.PaymentsHttpClient.payment;
import static com.example.payments.PaymentsHttpClient.refund;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.payments.PaymentsHttpClient.Caller;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drives the running app over real HTTP and checks the idempotency contract of DESIGN §3 and §8 from the
 * outside: replays, scopes, misuse, concurrent duplicates, and what is recorded for each gateway outcome.
 *
 * <p>Subclasses start the app on a database of their choice and say where it listens. The app must run
 * with {@code sample.gateway.latency} of about a second, so that concurrent duplicates overlap the first
 * request, and each subclass needs an app of its own: the {@code tok_flaky} test counts on being the first
 * charge of that card since start.
 */
abstract class PaymentsEndToEndIT {

    private static final Duration TIMEOUT = PaymentsHttpClient.TIMEOUT;

    private final PaymentsHttpClient client = new PaymentsHttpClient(this::baseUri);

    /**
     * Returns where the app listens.
     * @return the base URI, such as {@code http://localhost:8080}
     */
    protected abstract URI baseUri();

    @Test
    void retryWithSameKeyReplaysFirstResponseByteForByte() throws Exception {
        int before = paymentCount(ALICE);
        String key = newKey();
        HttpResponse<byte[]> first = post(ALICE, "/payments", key, payment(5000, "tok_visa"));
        HttpResponse<byte[]> retry = post(ALICE, "/payments", key, payment(5000, "tok_visa"));

        assertExecuted(first, 201);
        assertReplayOf(first, retry);
        assertThat(retry.headers().firstValue("Location"))
                .isPresent()
                .isEqualTo(first.headers().firstValue("Location"));
        assertThat(paymentCount(ALICE)).isEqualTo(before + 1);
        assertThat(paymentIds(ALICE)).containsOnlyOnce(id(first));
    }

    @Test
    void sameKeyFromAnotherUserIsNewPaymentForThatUser() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> alices = post(ALICE, "/payments", key, payment(5000, "tok_visa"));
        HttpResponse<byte[]> bobs = post(BOB, "/payments", key, payment(5000, "tok_visa"));

        assertExecuted(alices, 201);
        assertExecuted(bobs, 201);
        assertThat(id(bobs)).isNotEqualTo(id(alices));
        assertThat(paymentIds(BOB)).contains(id(bobs)).doesNotContain(id(alices));
    }

    @Test
    void sameKeyOnAnotherEndpointIsAnotherOperation() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> payment = post(ALICE, "/payments", key, payment(5000, "tok_visa"));
        String paymentId = id(payment);
        HttpResponse<byte[]> refund = post(ALICE, "/payments/" + paymentId + "/refunds", key, refund(1000));
        HttpResponse<byte[]> paymentRetry = post(ALICE, "/payments", key, payment(5000, "tok_visa"));

        assertExecuted(refund, 201);
        assertThat(json(refund).get("paymentId").asString()).isEqualTo(paymentId);
        assertReplayOf(payment, paymentRetry);
    }

    @Test
    void sameKeyWithDifferentBodyIsUnprocessable() throws Exception {
        int before = paymentCount(ALICE);
        String key = newKey();
        HttpResponse<byte[]> first = post(ALICE, "/payments", key, payment(5000, "tok_visa"));
        HttpResponse<byte[]> misuse = post(ALICE, "/payments", key, payment(6000, "tok_visa"));

        assertExecuted(first, 201);
        assertProblem(misuse, 422);
        assertThat(paymentCount(ALICE)).isEqualTo(before + 1);
    }

    @Test
    void paymentWithoutKeyIsRejected() throws Exception {
        int before = paymentCount(ALICE);
        HttpResponse<byte[]> response = post(ALICE, "/payments", null, payment(5000, "tok_visa"));

        assertProblem(response, 400);
        assertThat(paymentCount(ALICE)).isEqualTo(before);
    }

    @Test
    void concurrentDuplicatesCreateExactlyOnePayment() throws Exception {
        int before = paymentCount(ALICE);
        String key = newKey();
        int requests = 12;
        CountDownLatch ready = new CountDownLatch(requests);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(requests);
        List<HttpResponse<byte[]>> responses = new ArrayList<>();
        try {
            List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Callable<HttpResponse<byte[]>> duplicate = () -> {
                    ready.countDown();
                    go.await();
                    return post(ALICE, "/payments", key, payment(7000, "tok_visa"));
                };
                futures.add(threads.submit(duplicate));
            }
            assertThat(ready.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<HttpResponse<byte[]>> future : futures) {
                responses.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }

        List<HttpResponse<byte[]>> executed = responses.stream()
                .filter(response -> response.statusCode() == 201)
                .filter(response -> response.headers().firstValue(REPLAYED).isEmpty())
                .toList();
        assertThat(executed).hasSize(1);
        HttpResponse<byte[]> original = executed.get(0);
        assertThat(responses).filteredOn(response -> response != original).allSatisfy(response -> {
            if (response.statusCode() == 409) {
                assertProblem(response, 409);
                assertThat(response.headers().firstValue("Retry-After"))
                        .hasValueSatisfying(
                                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
            } else {
                assertReplayOf(original, response);
            }
        });
        assertThat(paymentCount(ALICE)).isEqualTo(before + 1);
    }

    @Test
    void gatewayFailureReleasesKeySoRetryCreatesOnePayment() throws Exception {
        int before = paymentCount(ALICE);
        String key = newKey();
        HttpResponse<byte[]> failed = post(ALICE, "/payments", key, payment(5000, "tok_flaky"));
        HttpResponse<byte[]> retry = post(ALICE, "/payments", key, payment(5000, "tok_flaky"));

        assertThat(failed.statusCode()).as("first tok_flaky charge since start").isEqualTo(502);
        assertProblem(failed, 502);
        assertExecuted(retry, 201);
        assertThat(paymentCount(ALICE)).isEqualTo(before + 1);
    }

    @Test
    void declinedCardIsRecordedAndReplayedWithoutPayment() throws Exception {
        int before = paymentCount(ALICE);
        String key = newKey();
        HttpResponse<byte[]> declined = post(ALICE, "/payments", key, payment(5000, "tok_declined"));
        HttpResponse<byte[]> retry = post(ALICE, "/payments", key, payment(5000, "tok_declined"));

        assertExecuted(declined, 402);
        assertProblem(declined, 402);
        assertReplayOf(declined, retry);
        assertThat(paymentCount(ALICE)).isEqualTo(before);
    }

    @Test
    void refundRetryWithSameKeyRefundsOnce() throws Exception {
        String paymentId = id(post(ALICE, "/payments", newKey(), payment(5000, "tok_visa")));
        String refunds = "/payments/" + paymentId + "/refunds";
        String key = newKey();
        HttpResponse<byte[]> first = post(ALICE, refunds, key, refund(3000));
        HttpResponse<byte[]> retry = post(ALICE, refunds, key, refund(3000));
        // 2000 is left only if the retry refunded nothing.
        HttpResponse<byte[]> rest = post(ALICE, refunds, newKey(), refund(2000));

        assertExecuted(first, 201);
        assertReplayOf(first, retry);
        assertExecuted(rest, 201);
        assertThat(json(get(ALICE, "/payments/" + paymentId)).get("status").asString())
                .isEqualTo("REFUNDED");
    }

    @Test
    void refundOverRemainingIsRecordedAndReplayed() throws Exception {
        String paymentId = id(post(ALICE, "/payments", newKey(), payment(5000, "tok_visa")));
        String refunds = "/payments/" + paymentId + "/refunds";
        String key = newKey();
        HttpResponse<byte[]> refused = post(ALICE, refunds, key, refund(5001));
        HttpResponse<byte[]> retry = post(ALICE, refunds, key, refund(5001));

        assertExecuted(refused, 422);
        assertProblem(refused, 422);
        assertReplayOf(refused, retry);
    }

    private HttpResponse<byte[]> post(Caller caller, String path, String key, String json) throws Exception {
        return this.client.post(caller, path, key, json);
    }

    private HttpResponse<byte[]> get(Caller caller, String path) throws Exception {
        return this.client.get(caller, path);
    }

    private List<String> paymentIds(Caller caller) throws Exception {
        return this.client.paymentIds(caller);
    }

    private int paymentCount(Caller caller) throws Exception {
        return this.client.paymentCount(caller);
    }
}
