package com.example.payments.payment;

import java.util.UUID;

/**
 * Thrown when a refund asks for more than what is left to refund on its payment.
 */
public class RefundExceedsRemainingException extends RuntimeException {

    /**
     * Creates the exception.
     * @param paymentId the payment to refund
     * @param requested the amount asked for, in minor units
     * @param refundable the amount still refundable, in minor units
     * @param currency the payment's currency
     */
    public RefundExceedsRemainingException(UUID paymentId, long requested, long refundable, String currency) {
        super("A refund of %d exceeds the %d %s still refundable on payment %s"
                .formatted(requested, refundable, currency, paymentId));
    }
}
