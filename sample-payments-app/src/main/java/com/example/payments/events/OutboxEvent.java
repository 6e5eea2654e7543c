package com.example.payments.events;

import java.util.UUID;

/**
 * An event as the outbox keeps it, ready to be delivered.
 *
 * @param id the row's id: the relay delivers in its order
 * @param eventId the event's own id
 * @param type the event's type, such as {@value PaymentSucceeded#TYPE}
 * @param key what orders the event among others: Kafka's record key, so that one owner's events keep their
 * order
 * @param payload the event's JSON form
 */
public record OutboxEvent(long id, UUID eventId, String type, String key, String payload) {}
