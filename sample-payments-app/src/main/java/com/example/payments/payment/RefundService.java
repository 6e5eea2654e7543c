package com.example.payments.payment;

import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refunds payments, never beyond what was paid.
 */
@Service
public class RefundService {

    private final PaymentRepository payments;

    private final RefundRepository refunds;

    private final Clock clock;

    /**
     * Creates the service.
     * @param payments where payments are kept
     * @param refunds where refunds are kept
     * @param clock the time source of {@code createdAt}
     */
    public RefundService(PaymentRepository payments, RefundRepository refunds, Clock clock) {
        this.payments = payments;
        this.refunds = refunds;
        this.clock = clock;
    }

    /**
     * Refunds part or all of what is left of a user's payment.
     * @param owner the user's name
     * @param paymentId the payment to refund
     * @param amount the amount in minor units, positive
     * @return the saved refund
     * @throws PaymentNotFoundException if there is no such payment or another user owns it
     * @throws RefundExceedsRemainingException if the amount is more than what is left to refund
     */
    @Transactional
    public Refund refund(String owner, UUID paymentId, long amount) {
        Payment payment = this.payments
                .findByIdAndOwnerForUpdate(paymentId, owner)
                .orElseThrow(() -> new PaymentNotFoundException(paymentId));
        payment.recordRefund(amount);
        return this.refunds.save(new Refund(paymentId, amount, this.clock.instant()));
    }

    /**
     * Returns a refund of a user's payment.
     * @param owner the user's name
     * @param paymentId the refunded payment
     * @param refundId the refund's id
     * @return the refund
     * @throws PaymentNotFoundException if there is no such payment or another user owns it
     * @throws RefundNotFoundException if the payment has no such refund
     */
    @Transactional(readOnly = true)
    public Refund find(String owner, UUID paymentId, UUID refundId) {
        this.payments.findByIdAndOwner(paymentId, owner).orElseThrow(() -> new PaymentNotFoundException(paymentId));
        return this.refunds
                .findByIdAndPaymentId(refundId, paymentId)
                .orElseThrow(() -> new RefundNotFoundException(paymentId, refundId));
    }
}
