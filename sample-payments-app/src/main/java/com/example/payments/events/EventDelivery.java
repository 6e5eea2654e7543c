package com.example.payments.events;

import java.util.concurrent.CompletableFuture;

/**
 * Where the {@link EventRelay} delivers events: Kafka, or the consumer in this process.
 */
public interface EventDelivery {

    /**
     * Starts one delivery of an event.
     * @param event the event
     * @return completes when the delivery succeeded, or exceptionally when it failed
     */
    CompletableFuture<?> deliver(OutboxEvent event);
}
