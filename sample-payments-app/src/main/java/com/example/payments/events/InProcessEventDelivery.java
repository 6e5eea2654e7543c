package com.example.payments.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Delivers events to the {@link PaymentSucceededConsumer} of this process, each delivery on a consumer thread
 * of its own, as a broker's consumers would receive them: copies of one event run at the same time, and none
 * runs in the relay's transaction.
 */
public class InProcessEventDelivery implements EventDelivery, DisposableBean {

    private final PaymentSucceededConsumer consumer;

    private final EventJson json;

    private final ExecutorService consumerThreads;

    /**
     * Creates the delivery.
     * @param consumer the consumer
     * @param json reads the events' payloads
     */
    public InProcessEventDelivery(PaymentSucceededConsumer consumer, EventJson json) {
        this.consumer = consumer;
        this.json = json;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("in-process-consumer-");
        // A delivery still running at exit is delivered again by the next start; it must not hold the JVM.
        threads.setDaemon(true);
        this.consumerThreads = Executors.newCachedThreadPool(threads);
    }

    @Override
    public CompletableFuture<?> deliver(OutboxEvent event) {
        if (!PaymentSucceeded.TYPE.equals(event.type())) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("No in-process consumer for events of type '" + event.type()
                            + "' (event " + event.eventId() + ")"));
        }
        // Read on the consumer's thread, as a broker's client would deserialize the record there.
        return CompletableFuture.runAsync(
                () -> this.consumer.onPaymentSucceeded(this.json.read(event.payload())), this.consumerThreads);
    }

    @Override
    public void destroy() {
        this.consumerThreads.shutdownNow();
    }
}
