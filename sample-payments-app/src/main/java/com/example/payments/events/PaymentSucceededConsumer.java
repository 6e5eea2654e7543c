package com.example.payments.events;

/**
 * Receives {@link PaymentSucceeded} events, from the relay in process or from Kafka. Delivery is at least
 * once: the same event (same {@link PaymentSucceeded#eventId()}) may arrive several times, one after the
 * other or at the same time, so an implementation must absorb duplicates.
 */
public interface PaymentSucceededConsumer {

    /**
     * Handles one delivery of an event. Throwing leaves the event to be delivered again.
     * @param event the event
     */
    void onPaymentSucceeded(PaymentSucceeded event);
}
