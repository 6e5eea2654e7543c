package com.example.payments.api;

import com.example.payments.payment.Payment;
import com.example.payments.payment.PaymentStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A payment as the API shows it.
 *
 * @param id the payment's id
 * @param amount the amount in minor units
 * @param currency the ISO 4217 currency code
 * @param source the card token that was charged
 * @param status where the payment stands
 * @param createdAt when the charge went through
 */
public record PaymentResponse(
        UUID id, long amount, String currency, String source, PaymentStatus status, Instant createdAt) {

    /**
     * Shows a payment.
     * @param payment the payment
     * @return its representation
     */
    public static PaymentResponse of(Payment payment) {
        return new PaymentResponse(
                payment.getId(),
                payment.getAmount(),
                payment.getCurrency(),
                payment.getSource(),
                payment.getStatus(),
                payment.getCreatedAt());
    }
}
