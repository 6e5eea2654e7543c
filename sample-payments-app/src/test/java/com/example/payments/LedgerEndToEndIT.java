package com.example.payments;

import static com.example.payments.PaymentsHttpClient.ALICE;
import static com.example.payments.PaymentsHttpClient.BOB;
import static com.example.payments.PaymentsHttpClient.json;
import static com.example.payments.PaymentsHttpClient.newKey;
import static com.example.payments.PaymentsHttpClient.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.payments.PaymentsHttpClient.Caller;
import com.example.payments.events.EventRelay;
import com.example.payments.events.Outbox;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Drives the running app over real HTTP and checks DESIGN §12 from the outside: every payment is credited to
 * its owner's ledger exactly once, although the relay delivers each of its events several times
 * ({@value #COPIES_PROPERTY}), and the ledger stays so while the relay goes on polling.
 *
 * <p>Subclasses start the app (with that property) on a database and store of their choice, and each needs
 * an app of its own, closed with the class, so that its ledger holds only its own payments.
 */
abstract class LedgerEndToEndIT {

    /** The property that every subclass sets, so that every event is delivered three times. */
    static final String COPIES_PROPERTY = "sample.events.delivery-copies=3";

    private static final int COPIES = 3;

    private static final int PAYMENTS = 50;

    private static final int THREADS = 5;

    /** Batches the relay runs after the ledger converged, during which it must not change. */
    private static final int MORE_BATCHES = 3;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final PaymentsHttpClient client = new PaymentsHttpClient(this::baseUri);

    @Autowired
    private EventRelay relay;

    @Autowired
    private Outbox outbox;

    /**
     * Returns where the app listens.
     * @return the base URI, such as {@code http://localhost:8080}
     */
    protected abstract URI baseUri();

    /**
     * Waits until the events that the relay delivered have been consumed. In process, delivered means
     * consumed; a broker between the two needs its consumers to catch up.
     */
    protected void awaitConsumed() {}

    @Test
    void everyPaymentIsCreditedOnceThoughItsEventIsDeliveredThreeTimes() throws Exception {
        long copiesBefore = this.relay.deliveredCopies();

        makePayments(PAYMENTS);
        awaitLedgerSettled();

        assertThat(this.relay.deliveredCopies() - copiesBefore)
                .as("copies of events delivered")
                .isGreaterThanOrEqualTo((long) COPIES * PAYMENTS);
        assertEveryPaymentCreditedOnce();
        // And it stays so while the relay goes on.
        awaitMoreBatches();
        assertEveryPaymentCreditedOnce();
    }

    /**
     * Takes payments over HTTP from several threads at once, alternately for alice and bob, each with a key
     * of its own.
     * @param count how many
     */
    protected void makePayments(int count) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<HttpResponse<byte[]>>> payments = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Caller caller = (i % 2 == 0) ? ALICE : BOB;
                long amount = 100 + i;
                Callable<HttpResponse<byte[]>> pay = () -> {
                    go.await();
                    return this.client.post(caller, "/payments", newKey(), payment(amount, "tok_visa"));
                };
                payments.add(threads.submit(pay));
            }
            go.countDown();
            for (Future<HttpResponse<byte[]>> payment : payments) {
                assertThat(payment.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode())
                        .isEqualTo(201);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Waits until the outbox has no undelivered event left and what was delivered has been consumed.
     */
    protected void awaitLedgerSettled() {
        await("every event delivered")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> this.outbox.countUndelivered() == 0);
        awaitConsumed();
    }

    /**
     * Asserts that each caller's ledger holds exactly one {@code PAYMENT} entry per payment that
     * {@code GET /payments} lists, with its amount, and a balance that is their sum.
     */
    protected void assertEveryPaymentCreditedOnce() throws Exception {
        for (Caller caller : List.of(ALICE, BOB)) {
            Map<String, Long> payments = new HashMap<>();
            json(this.client.get(caller, "/payments"))
                    .forEach(payment -> payments.put(
                            payment.get("id").asString(), payment.get("amount").asLong()));
            JsonNode ledger = json(this.client.get(caller, "/ledger"));
            List<String> credited = new ArrayList<>();
            ledger.get("entries").forEach(entry -> {
                assertThat(entry.get("kind").asString()).isEqualTo("PAYMENT");
                String paymentId = entry.get("paymentId").asString();
                assertThat(entry.get("amount").asLong())
                        .as("amount of payment %s", paymentId)
                        .isEqualTo(payments.get(paymentId));
                credited.add(paymentId);
            });

            assertThat(credited)
                    .as("%s's credited payments", caller.name())
                    .containsExactlyInAnyOrderElementsOf(payments.keySet());
            assertThat(ledger.get("balances").get("USD").asLong())
                    .as("%s's balance", caller.name())
                    .isEqualTo(payments.values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
        }
    }

    /**
     * Waits until the relay has run a few more batches.
     */
    protected void awaitMoreBatches() {
        long batches = this.relay.batches();
        await("more relay batches")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> this.relay.batches() >= batches + MORE_BATCHES);
    }
}
