package com.example.payments.api;

import com.example.payments.payment.Refund;
import java.time.Instant;
import java.util.UUID;

/**
 * A refund as the API shows it.
 *
 * @param id the refund's id
 * @param paymentId the refunded payment
 * @param amount the amount in minor units of the payment's currency
 * @param createdAt when the refund was made
 */
public record RefundResponse(UUID id, UUID paymentId, long amount, Instant createdAt) {

    /**
     * Shows a refund.
     * @param refund the refund
     * @return its representation
     */
    public static RefundResponse of(Refund refund) {
        return new RefundResponse(refund.getId(), refund.getPaymentId(), refund.getAmount(), refund.getCreatedAt());
    }
}
