package com.example.payments.events;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Hands the payment events that Kafka delivers to the {@link PaymentSucceededConsumer}: the same consumer,
 * and the same method, as the in-process delivery. A record whose consumer throws is delivered again (see
 * {@link KafkaEventsConfiguration#eventsErrorHandler()}), and its offset is committed only once it was
 * consumed, so a restart redelivers what was in flight.
 */
public class PaymentEventsListener {

    private final PaymentSucceededConsumer consumer;

    private final EventJson json;

    /**
     * Creates the listener.
     * @param consumer the consumer
     * @param json reads the records' values
     */
    public PaymentEventsListener(PaymentSucceededConsumer consumer, EventJson json) {
        this.consumer = consumer;
        this.json = json;
    }

    /**
     * Consumes one record of the topic.
     * @param payload the record's value: an event's JSON form
     */
    @KafkaListener(id = KafkaEventsConfiguration.LISTENER_ID, topics = KafkaEventsConfiguration.TOPIC)
    public void onRecord(String payload) {
        this.consumer.onPaymentSucceeded(this.json.read(payload));
    }
}
