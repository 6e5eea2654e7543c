package io.github.idempotency.kafka;

/**
 * The message the test listeners consume, published as JSON with its id as the record's key.
 *
 * @param eventId the event's id, the idempotency key
 * @param amount the amount to credit
 */
public record PaymentEvent(String eventId, long amount) {}
