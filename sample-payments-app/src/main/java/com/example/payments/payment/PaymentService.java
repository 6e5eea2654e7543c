package com.example.payments.payment;

import com.example.payments.events.Outbox;
import com.example.payments.events.PaymentSucceeded;
import com.example.payments.gateway.CardGateway;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes payments: charges the card, then keeps the payment and its {@value PaymentSucceeded#TYPE} event.
 */
@Service
public class PaymentService {

    private final CardGateway gateway;

    private final PaymentRepository payments;

    private final Outbox outbox;

    private final TransactionOperations transactions;

    private final Clock clock;

    /**
     * Creates the service.
     * @param gateway the card gateway that charges
     * @param payments where payments are kept
     * @param outbox where the payments' events are written
     * @param transactionManager the manager of the transaction that keeps a payment and its event
     * @param clock the time source of {@code createdAt}
     */
    public PaymentService(
            CardGateway gateway,
            PaymentRepository payments,
            Outbox outbox,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.gateway = gateway;
        this.payments = payments;
        this.outbox = outbox;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Charges a card, then keeps the payment and writes its {@value PaymentSucceeded#TYPE} event to the
     * outbox, in one transaction: the caller's when there is one, else a transaction of its own. A declined or
     * failed charge keeps nothing and publishes nothing.
     * @param owner name of the paying user
     * @param amount the amount in minor units, positive
     * @param currency the ISO 4217 currency code
     * @param source the card token
     * @return the saved payment
     * @throws com.example.payments.gateway.CardDeclinedException if the card is declined
     * @throws com.example.payments.gateway.GatewayUnavailableException if the gateway failed
     */
    // Not @Transactional: the charge is a call over the network, and holding a database connection through
    // it would let a slow gateway drain the pool. Only the two inserts share a transaction.
    public Payment create(String owner, long amount, String currency, String source) {
        this.gateway.charge(source, amount, currency);
        return this.transactions.execute(status -> {
            Payment payment = this.payments.save(new Payment(owner, amount, currency, source, this.clock.instant()));
            this.outbox.append(new PaymentSucceeded(
                    UUID.randomUUID(), payment.getId(), owner, amount, currency, payment.getCreatedAt()));
            return payment;
        });
    }

    /**
     * Returns a user's payments, oldest first.
     * @param owner the user's name
     * @return the payments
     */
    @Transactional(readOnly = true)
    public List<Payment> findAll(String owner) {
        return this.payments.findByOwnerOrderByCreatedAtAscIdAsc(owner);
    }

    /**
     * Returns a user's payment.
     * @param owner the user's name
     * @param id the payment's id
     * @return the payment
     * @throws PaymentNotFoundException if there is no such payment or another user owns it
     */
    @Transactional(readOnly = true)
    public Payment find(String owner, UUID id) {
        return this.payments.findByIdAndOwner(id, owner).orElseThrow(() -> new PaymentNotFoundException(id));
    }
}
