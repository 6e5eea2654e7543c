package com.example.payments.payment;

/**
 * Where a payment stands. Only charges that went through become payments, so every payment starts as
 * {@link #SUCCEEDED}; refunds move it on.
 */
public enum PaymentStatus {

    /** Charged, nothing refunded. */
    SUCCEEDED,

    /** Part of the amount has been refunded. */
    PARTIALLY_REFUNDED,

    /** The whole amount has been refunded. */
    REFUNDED
}
