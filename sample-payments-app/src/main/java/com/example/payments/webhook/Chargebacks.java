package com.example.payments.webhook;

import com.example.payments.ledger.Ledger;
import com.example.payments.ledger.LedgerEntry;
import com.example.payments.payment.Payment;
import com.example.payments.payment.PaymentNotFoundException;
import com.example.payments.payment.PaymentRepository;
import java.time.Clock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Books the chargebacks the card network reports: a {@code CHARGEBACK} entry of the disputed amount, negated,
 * in the payment owner's ledger.
 *
 * <p>Booking is not idempotent; the webhook that calls it is, by the event id.
 */
@Service
public class Chargebacks {

    private final PaymentRepository payments;

    private final Ledger ledger;

    private final Clock clock;

    /**
     * Creates the service.
     * @param payments the payments that can be disputed
     * @param ledger where chargebacks are booked
     * @param clock the application's clock, which dates the entries as it dates payments
     */
    public Chargebacks(PaymentRepository payments, Ledger ledger, Clock clock) {
        this.payments = payments;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Books the chargeback of a dispute.
     * @param event the dispute
     * @throws PaymentNotFoundException if no payment has the event's payment id
     */
    @Transactional
    public void book(CardGatewayEvent event) {
        Payment payment = this.payments
                .findById(event.paymentId())
                .orElseThrow(() -> new PaymentNotFoundException(event.paymentId()));
        this.ledger.append(LedgerEntry.chargeback(
                event.id(),
                payment.getId(),
                payment.getOwner(),
                event.amount(),
                payment.getCurrency(),
                this.clock.instant()));
    }
}
