package com.example.payments.events;

import java.util.concurrent.CompletableFuture;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes events to a Kafka topic, keyed by their {@link OutboxEvent#key()} (the owner), so that one
 * owner's events stay in one partition, in order. A delivery succeeds when the broker acknowledged it.
 */
public class KafkaEventDelivery implements EventDelivery {

    private final KafkaTemplate<String, String> kafka;

    private final String topic;

    /**
     * Creates the delivery.
     * @param kafka the application's template, with string keys and values
     * @param topic the topic
     */
    public KafkaEventDelivery(KafkaTemplate<String, String> kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    @Override
    public CompletableFuture<?> deliver(OutboxEvent event) {
        return this.kafka.send(this.topic, event.key(), event.payload());
    }
}
