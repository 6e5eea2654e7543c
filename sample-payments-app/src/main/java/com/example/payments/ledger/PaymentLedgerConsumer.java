package com.example.payments.ledger;

import com.example.payments.events.PaymentSucceeded;
import com.example.payments.events.PaymentSucceededConsumer;
import io.github.idempotency.Idempotent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Credits every succeeded payment to its owner's ledger once, however often its event is delivered.
 *
 * <p>The booking itself is not idempotent ({@code balance = balance + amount}); {@code @Idempotent} makes the
 * consumer so. With the JDBC idempotency store on the ledger's database, the claim of the event id, the entry,
 * the balance update and the record that the event was consumed commit in one transaction: a crash leaves
 * all of them or none, and a duplicate delivered meanwhile waits for that transaction, then returns without
 * booking. With keys in Redis the record follows the commit, and a duplicate that comes while the first is
 * running gets an {@link io.github.idempotency.IdempotencyInProgressException}, so it is delivered again.
 */
@Component
public class PaymentLedgerConsumer implements PaymentSucceededConsumer {

    private final Ledger ledger;

    /**
     * Creates the consumer.
     * @param ledger where payments are booked
     */
    public PaymentLedgerConsumer(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * Books the payment of an event, unless that event was consumed already.
     * @param event the event
     */
    // Named, so that renaming the class keeps its records; kept a week, longer than any redelivery is
    // expected to take (an outbox relay down for a while, a consumer group reset to an earlier offset).
    @Override
    @Transactional
    @Idempotent(key = "#event.eventId", name = "ledger.payment-succeeded", ttl = "7d")
    public void onPaymentSucceeded(PaymentSucceeded event) {
        this.ledger.append(LedgerEntry.payment(
                event.eventId().toString(),
                event.paymentId(),
                event.owner(),
                event.amount(),
                event.currency(),
                event.occurredAt()));
    }
}
