package com.example.payments.ledger;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.example.payments.events.PaymentSucceeded;
import com.example.payments.events.PaymentSucceededConsumer;
import io.github.idempotency.IdempotencyInProgressException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * The ledger consumer in the whole app on H2 (the API tests' context), called directly with events of owners
 * of their own: each event is booked once, whoever delivers it how often.
 */
@SpringBootTest
// The API tests' configuration, so that their application context is reused.
@AutoConfigureMockMvc
class PaymentLedgerConsumerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    private PaymentSucceededConsumer consumer;

    @Autowired
    private Ledger ledger;

    @Test
    void duplicateOfAConsumedEventBooksNothing() {
        PaymentSucceeded event = event(5000);

        this.consumer.onPaymentSucceeded(event);
        this.consumer.onPaymentSucceeded(event);

        LedgerStatement statement = this.ledger.statement(event.owner());
        assertThat(statement.entries())
                .containsExactly(LedgerEntry.payment(
                        event.eventId().toString(), event.paymentId(), event.owner(), 5000, "USD", event.occurredAt()));
        assertThat(statement.balances()).containsExactly(entry("USD", 5000L));
    }

    @Test
    void concurrentDuplicatesOfAnEventBookItOnce() throws Exception {
        PaymentSucceeded event = event(700);
        int copies = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(copies);
        try {
            List<Future<?>> deliveries = new ArrayList<>();
            for (int copy = 0; copy < copies; copy++) {
                deliveries.add(threads.submit(() -> {
                    go.await();
                    deliverUntilConsumed(event);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> delivery : deliveries) {
                delivery.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        LedgerStatement statement = this.ledger.statement(event.owner());
        assertThat(statement.entries()).hasSize(1);
        assertThat(statement.balances()).containsExactly(entry("USD", 700L));
    }

    @Test
    void chargebackDebitsWhatThePaymentCredited() {
        PaymentSucceeded event = event(5000);
        this.consumer.onPaymentSucceeded(event);

        this.ledger.append(LedgerEntry.chargeback(
                "evt_" + UUID.randomUUID(),
                event.paymentId(),
                event.owner(),
                1000,
                "USD",
                event.occurredAt().plusSeconds(60)));

        LedgerStatement statement = this.ledger.statement(event.owner());
        assertThat(statement.entries())
                .extracting(LedgerEntry::kind, LedgerEntry::amount)
                .containsExactly(tuple(LedgerEntryKind.PAYMENT, 5000L), tuple(LedgerEntryKind.CHARGEBACK, -1000L));
        assertThat(statement.balances()).containsExactly(entry("USD", 4000L));
    }

    // What the relay does: a copy that finds another one in progress is delivered again.
    private void deliverUntilConsumed(PaymentSucceeded event) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                this.consumer.onPaymentSucceeded(event);
                return;
            } catch (IdempotencyInProgressException ex) {
                assertThat(System.nanoTime())
                        .as("still in progress after %s", TIMEOUT)
                        .isLessThan(deadline);
                // The pace of a redelivery, not a wait for anything.
                Thread.sleep(20);
            }
        }
    }

    private static PaymentSucceeded event(long amount) {
        return new PaymentSucceeded(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "ledger-test-" + UUID.randomUUID(),
                amount,
                "USD",
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
