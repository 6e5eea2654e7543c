package com.example.payments.payment;

import com.example.payments.gateway.CardGateway;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes payments: charges the card, then keeps the payment.
 */
@Service
public class PaymentService {

    private final CardGateway gateway;

    private final PaymentRepository payments;

    private final Clock clock;

    /**
     * Creates the service.
     * @param gateway the card gateway that charges
     * @param payments where payments are kept
     * @param clock the time source of {@code createdAt}
     */
    public PaymentService(CardGateway gateway, PaymentRepository payments, Clock clock) {
        this.gateway = gateway;
        this.payments = payments;
        this.clock = clock;
    }

    /**
     * Charges a card and keeps the payment. A declined or failed charge keeps nothing.
     * @param owner name of the paying user
     * @param amount the amount in minor units, positive
     * @param currency the ISO 4217 currency code
     * @param source the card token
     * @return the saved payment
     * @throws com.example.payments.gateway.CardDeclinedException if the card is declined
     * @throws com.example.payments.gateway.GatewayUnavailableException if the gateway failed
     */
    // Not @Transactional: the charge is a call over the network, and holding a database connection through
    // it would let a slow gateway drain the pool. The insert below is one statement in its own transaction.
    public Payment create(String owner, long amount, String currency, String source) {
        this.gateway.charge(source, amount, currency);
        return this.payments.save(new Payment(owner, amount, currency, source, this.clock.instant()));
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
