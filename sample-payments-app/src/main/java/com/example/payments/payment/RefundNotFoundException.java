package com.example.payments.payment;

import java.util.UUID;

/**
 * Thrown when a payment has no refund with the id asked for.
 */
public class RefundNotFoundException extends RuntimeException {

    /**
     * Creates the exception.
     * @param paymentId the payment
     * @param refundId the refund asked for
     */
    public RefundNotFoundException(UUID paymentId, UUID refundId) {
        super("Payment " + paymentId + " has no refund " + refundId);
    }
}
