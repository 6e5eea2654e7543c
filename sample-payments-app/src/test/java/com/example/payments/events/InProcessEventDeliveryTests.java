package com.example.payments.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The in-process delivery: the consumer gets the event read back from its JSON form, on a consumer thread,
 * copies at the same time, and a failing consumer fails the delivery.
 */
class InProcessEventDeliveryTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EventJson json = new EventJson(JsonMapper.builder().build());

    private final PaymentSucceeded event = new PaymentSucceeded(
            UUID.randomUUID(), UUID.randomUUID(), "alice", 5000, "USD", Instant.parse("2026-01-01T00:00:00.123Z"));

    private InProcessEventDelivery delivery;

    @AfterEach
    void stop() {
        if (this.delivery != null) {
            this.delivery.destroy();
        }
    }

    @Test
    void consumerGetsTheEventOnAConsumerThread() throws Exception {
        CompletableFuture<PaymentSucceeded> received = new CompletableFuture<>();
        CompletableFuture<String> thread = new CompletableFuture<>();
        this.delivery = new InProcessEventDelivery(
                event -> {
                    thread.complete(Thread.currentThread().getName());
                    received.complete(event);
                },
                this.json);

        this.delivery.deliver(outboxEvent(PaymentSucceeded.TYPE)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(received).isCompletedWithValue(this.event);
        assertThat(thread.get()).startsWith("in-process-consumer-");
    }

    @Test
    void copiesOfAnEventAreConsumedAtTheSameTime() throws Exception {
        // Each copy waits for the others inside the consumer: they all finish only if they run side by side.
        CyclicBarrier together = new CyclicBarrier(3);
        this.delivery = new InProcessEventDelivery(
                event -> {
                    try {
                        together.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                },
                this.json);

        List<CompletableFuture<?>> copies = IntStream.range(0, 3)
                .<CompletableFuture<?>>mapToObj(copy -> this.delivery.deliver(outboxEvent(PaymentSucceeded.TYPE)))
                .toList();

        CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copies).allSatisfy(copy -> assertThat(copy).isCompleted());
    }

    @Test
    void consumerThatThrowsFailsTheDelivery() {
        IllegalStateException failure = new IllegalStateException("database down");
        this.delivery = new InProcessEventDelivery(
                event -> {
                    throw failure;
                },
                this.json);

        CompletableFuture<?> delivered = this.delivery.deliver(outboxEvent(PaymentSucceeded.TYPE));

        assertThat(delivered).failsWithin(TIMEOUT).withThrowableThat().withCause(failure);
    }

    @Test
    void eventOfAnotherTypeIsNotDelivered() {
        this.delivery = new InProcessEventDelivery(
                event -> {
                    throw new AssertionError("consumed an event of another type");
                },
                this.json);

        assertThat(this.delivery.deliver(outboxEvent("refund.succeeded")))
                .failsWithin(TIMEOUT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("refund.succeeded");
    }

    private OutboxEvent outboxEvent(String type) {
        return new OutboxEvent(1, this.event.eventId(), type, this.event.owner(), this.json.write(this.event));
    }
}
