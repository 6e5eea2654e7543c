package com.example.payments.payment;

import java.util.UUID;

/**
 * Thrown when a payment does not exist for the caller: it was never made, or another user owns it (the two
 * are not told apart, so ids of other users' payments leak nothing).
 */
public class PaymentNotFoundException extends RuntimeException {

    /**
     * Creates the exception.
     * @param id the payment asked for
     */
    public PaymentNotFoundException(UUID id) {
        super("No payment " + id + " was found");
    }
}
