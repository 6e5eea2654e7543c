package com.example.payments.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@value #TYPE} event: a payment went through. Published once per payment, through the outbox, and
 * delivered at least once.
 *
 * @param eventId the event's own id, the same on every delivery of it: what consumers de-duplicate by
 * @param paymentId the payment
 * @param owner name of the user who paid
 * @param amount the amount in minor units, positive
 * @param currency the ISO 4217 currency code
 * @param occurredAt when the charge went through
 */
public record PaymentSucceeded(
        UUID eventId, UUID paymentId, String owner, long amount, String currency, Instant occurredAt) {

    /** The event's type, as the outbox names it. */
    public static final String TYPE = "payment.succeeded";

    public PaymentSucceeded {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
    }
}
