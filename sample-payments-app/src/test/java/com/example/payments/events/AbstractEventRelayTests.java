package com.example.payments.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.IdempotencyInProgressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay against the app's outbox table, with deliveries that the tests script: what it delivers, how
 * often, and when it marks an event delivered. Subclasses choose the database.
 */
abstract class AbstractEventRelayTests {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:01Z"), ZoneOffset.UTC);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    final OutboxTestDatabase database = createDatabase();

    final List<UUID> delivered = Collections.synchronizedList(new ArrayList<>());

    /**
     * Creates the database of one test, with the app's migrations applied.
     * @return the database
     */
    abstract OutboxTestDatabase createDatabase();

    @AfterEach
    void closeDatabase() {
        this.database.close();
    }

    @Test
    void batchDeliversEachUndeliveredEventOldestFirstThenMarksItDelivered() {
        PaymentSucceeded first = this.database.append("alice", 100);
        PaymentSucceeded second = this.database.append("bob", 200);
        EventRelay relay = relay(this::record, 1, 10);

        assertThat(relay.relayBatch()).isEqualTo(2);
        assertThat(relay.relayBatch()).isZero();

        assertThat(this.delivered).containsExactly(first.eventId(), second.eventId());
        assertThat(this.database.outbox.countUndelivered()).isZero();
        assertThat(relay.batches()).isEqualTo(2);
    }

    @Test
    void everyEventIsDeliveredAsManyTimesAsTheConfiguredCopies() {
        PaymentSucceeded first = this.database.append("alice", 100);
        PaymentSucceeded second = this.database.append("bob", 200);
        EventRelay relay = relay(this::record, 3, 10);

        assertThat(relay.relayBatch()).isEqualTo(2);

        assertThat(this.delivered)
                .containsExactly(
                        first.eventId(),
                        first.eventId(),
                        first.eventId(),
                        second.eventId(),
                        second.eventId(),
                        second.eventId());
        assertThat(relay.deliveredCopies()).isEqualTo(6);
    }

    @Test
    void eventWhoseDeliveryFailedStaysUndeliveredAndALaterBatchDeliversItAgain() {
        PaymentSucceeded first = this.database.append("alice", 100);
        PaymentSucceeded second = this.database.append("bob", 200);
        AtomicBoolean failed = new AtomicBoolean();
        EventRelay relay = relay(
                event -> (event.eventId().equals(second.eventId()) && failed.compareAndSet(false, true))
                        ? CompletableFuture.failedFuture(
                                new IdempotencyInProgressException("still running", Duration.ZERO))
                        : record(event),
                1,
                10);

        assertThat(relay.relayBatch()).isEqualTo(1);
        assertThat(this.database.isDelivered(first)).isTrue();
        assertThat(this.database.isDelivered(second)).isFalse();

        assertThat(relay.relayBatch()).isEqualTo(1);
        assertThat(this.database.isDelivered(second)).isTrue();
        assertThat(this.delivered).containsExactly(first.eventId(), second.eventId());
    }

    @Test
    void eventOfADeliveryThatThrowsStaysUndelivered() {
        PaymentSucceeded event = this.database.append("alice", 100);
        EventRelay relay = relay(
                ignored -> {
                    throw new IllegalStateException("broker gone");
                },
                1,
                10);

        assertThat(relay.relayBatch()).isZero();
        assertThat(this.database.isDelivered(event)).isFalse();
    }

    @Test
    void eventWhoseDeliveryOutlastsTheTimeoutStaysUndelivered() {
        PaymentSucceeded event = this.database.append("alice", 100);
        EventRelay relay = new EventRelay(
                this.database.outbox,
                this.database.transactions,
                ignored -> new CompletableFuture<>(),
                1,
                10,
                CLOCK,
                Duration.ofMillis(100));

        assertThat(relay.relayBatch()).isZero();
        assertThat(this.database.isDelivered(event)).isFalse();
    }

    @Test
    void eventIsMarkedDeliveredOnlyOnceEveryCopyWasDelivered() throws Exception {
        PaymentSucceeded event = this.database.append("alice", 100);
        CompletableFuture<Void> lastCopy = new CompletableFuture<>();
        CountDownLatch copiesStarted = new CountDownLatch(2);
        EventRelay relay = relay(
                ignored -> {
                    copiesStarted.countDown();
                    return (copiesStarted.getCount() == 0) ? lastCopy : CompletableFuture.completedFuture(null);
                },
                2,
                10);

        CompletableFuture<Integer> batch = CompletableFuture.supplyAsync(relay::relayBatch);
        assertThat(copiesStarted.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        boolean deliveredWhileACopyWasPending = this.database.isDelivered(event);
        lastCopy.complete(null);

        assertThat(deliveredWhileACopyWasPending).isFalse();
        assertThat(batch.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(this.database.isDelivered(event)).isTrue();
    }

    @Test
    void relayNeverDeliversTheEventsThatAnotherRelayHolds() throws Exception {
        List<UUID> events = appendEvents(4);

        SecondRelayBatch secondBatch = relayWhileAnotherHoldsTheFirstTwoEvents();
        relay(this::record, 1, 10).relayBatch();

        assertThat(secondBatch.heldByFirst()).containsExactlyElementsOf(events.subList(0, 2));
        assertThat(secondBatch.delivered()).doesNotContainAnyElementsOf(events.subList(0, 2));
        assertThat(this.delivered).doesNotContainAnyElementsOf(events.subList(0, 2));
        assertThat(this.delivered).containsExactlyInAnyOrderElementsOf(events.subList(2, 4));
        assertThat(this.database.outbox.countUndelivered()).isZero();
    }

    /**
     * Writes events to the outbox.
     * @param count how many
     * @return their ids, oldest first
     */
    List<UUID> appendEvents(int count) {
        List<UUID> events = new ArrayList<>();
        for (int amount = 1; amount <= count; amount++) {
            events.add(this.database.append("alice", amount).eventId());
        }
        return events;
    }

    /**
     * Lets a relay with batches of two hold the two oldest events while another relay with batches of two
     * runs a batch, then lets the first finish its batch.
     * @return what each relay delivered
     */
    SecondRelayBatch relayWhileAnotherHoldsTheFirstTwoEvents() throws Exception {
        List<UUID> heldByFirst = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstIsDelivering = new CountDownLatch(1);
        CompletableFuture<Void> release = new CompletableFuture<>();
        EventRelay first = relay(
                event -> {
                    heldByFirst.add(event.eventId());
                    firstIsDelivering.countDown();
                    return release;
                },
                1,
                2);
        CompletableFuture<Integer> firstBatch = CompletableFuture.supplyAsync(first::relayBatch);
        assertThat(firstIsDelivering.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isTrue();
        int secondBatch = relay(this::record, 1, 2).relayBatch();
        List<UUID> deliveredBySecond = List.copyOf(this.delivered);
        release.complete(null);
        assertThat(firstBatch.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(secondBatch).isEqualTo(deliveredBySecond.size());
        return new SecondRelayBatch(heldByFirst, deliveredBySecond);
    }

    EventRelay relay(EventDelivery delivery, int copies, int batchSize) {
        return new EventRelay(
                this.database.outbox, this.database.transactions, delivery, copies, batchSize, CLOCK, TIMEOUT);
    }

    CompletableFuture<?> record(OutboxEvent event) {
        this.delivered.add(event.eventId());
        return CompletableFuture.completedFuture(null);
    }

    /**
     * What two relays delivered while the first held its batch.
     *
     * @param heldByFirst the events of the first relay's batch
     * @param delivered the events that the second relay delivered meanwhile
     */
    record SecondRelayBatch(List<UUID> heldByFirst, List<UUID> delivered) {}
}
