package com.example.payments.events;

import io.github.idempotency.IdempotencyInProgressException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Delivers the outbox's events at least once: takes a batch of undelivered events, delivers each (as many
 * copies as configured), and marks delivered those whose every copy was delivered, all in one transaction
 * that holds the batch's rows. An event whose delivery failed, timed out or was cut short stays undelivered,
 * and a later batch delivers it again; so does every event of a batch whose transaction did not commit (the
 * JVM died, the database went away). Consumers must therefore absorb duplicates.
 *
 * <p>Relays of several instances on one database take disjoint batches ({@code FOR UPDATE SKIP LOCKED}), so
 * that they rarely deliver one event twice; they still may, after a crash.
 */
public class EventRelay {

    private static final Log logger = LogFactory.getLog(EventRelay.class);

    private final Outbox outbox;

    private final TransactionOperations transactions;

    private final EventDelivery delivery;

    private final int copies;

    private final int batchSize;

    private final Clock clock;

    private final Duration deliveryTimeout;

    private final AtomicLong batches = new AtomicLong();

    private final AtomicLong deliveredCopies = new AtomicLong();

    // Failed batches in a row; only the scheduler's thread, one batch at a time, reads and writes it.
    private long failedBatches;

    /**
     * Creates a relay.
     * @param outbox where the events are
     * @param transactions runs each batch in a transaction on the outbox's database
     * @param delivery where the events go
     * @param copies how many times to deliver each event, one or more
     * @param batchSize how many events one batch takes at most
     * @param clock the time source of the delivery times
     * @param deliveryTimeout how long an event's copies may take to be delivered before the event is left for a
     * later batch; bounds the batch's transaction, and with it how long its rows stay locked, when a delivery
     * hangs
     */
    public EventRelay(
            Outbox outbox,
            TransactionOperations transactions,
            EventDelivery delivery,
            int copies,
            int batchSize,
            Clock clock,
            Duration deliveryTimeout) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.delivery = delivery;
        this.copies = copies;
        this.batchSize = batchSize;
        this.clock = clock;
        this.deliveryTimeout = deliveryTimeout;
    }

    /**
     * Delivers one batch of undelivered events, as the scheduler does every poll interval: a batch that fails
     * (the database is down) is logged once at {@code WARN}, the ones that fail after it at {@code DEBUG},
     * and the first that works again at {@code INFO}, so that an outage does not flood the log at the poll
     * rate.
     */
    public void poll() {
        try {
            relayBatch();
            if (this.failedBatches > 0) {
                logger.info("Relaying events works again, after " + this.failedBatches + " failed batches");
                this.failedBatches = 0;
            }
        } catch (RuntimeException ex) {
            if (this.failedBatches++ == 0) {
                logger.warn("Relaying events failed; the next poll tries again", ex);
            } else if (logger.isDebugEnabled()) {
                logger.debug("Relaying events failed again (" + this.failedBatches + " batches in a row)", ex);
            }
        }
    }

    /**
     * Delivers one batch of undelivered events.
     * @return how many events were delivered and marked so
     * @throws org.springframework.dao.DataAccessException if the outbox could not be read or updated
     */
    public int relayBatch() {
        try {
            Integer delivered = this.transactions.execute(status -> {
                List<Long> done = new ArrayList<>();
                for (OutboxEvent event : this.outbox.lockUndelivered(this.batchSize)) {
                    if (Thread.currentThread().isInterrupted()) {
                        // Shutting down: the rest stays for the next start.
                        break;
                    }
                    if (deliver(event)) {
                        done.add(event.id());
                    }
                }
                this.outbox.markDelivered(done, this.clock.instant());
                return done.size();
            });
            if (delivered != null && delivered > 0 && logger.isDebugEnabled()) {
                logger.debug("Relayed " + delivered + " events, " + this.copies + " copies each");
            }
            return (delivered != null) ? delivered : 0;
        } finally {
            this.batches.incrementAndGet();
        }
    }

    /**
     * Returns how many batches ran, whether they delivered anything or failed: a batch that starts after this
     * count went up sees every event committed before.
     * @return the count since start
     */
    public long batches() {
        return this.batches.get();
    }

    /**
     * Returns how many copies of events were delivered.
     * @return the count since start
     */
    public long deliveredCopies() {
        return this.deliveredCopies.get();
    }

    private boolean deliver(OutboxEvent event) {
        List<CompletableFuture<?>> deliveries = new ArrayList<>(this.copies);
        for (int copy = 0; copy < this.copies; copy++) {
            try {
                deliveries.add(this.delivery.deliver(event));
            } catch (RuntimeException ex) {
                deliveries.add(CompletableFuture.failedFuture(ex));
            }
        }
        try {
            CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new))
                    .get(this.deliveryTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException ex) {
            logFailure(event, ex.getCause());
            return false;
        } catch (TimeoutException ex) {
            logger.warn("Event " + event.eventId() + " was not delivered within " + this.deliveryTimeout.toMillis()
                    + "ms; it is delivered again later");
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            this.deliveredCopies.addAndGet(deliveries.stream()
                    .filter(copy -> copy.isDone() && !copy.isCompletedExceptionally())
                    .count());
        }
    }

    private static void logFailure(OutboxEvent event, Throwable failure) {
        if (failure instanceof IdempotencyInProgressException) {
            // Another copy of the event is being consumed right now; the next delivery finds it done.
            logger.debug("Event " + event.eventId() + " is being consumed by another delivery; it is delivered"
                    + " again later");
        } else {
            logger.warn("Event " + event.eventId() + " could not be delivered; it is delivered again later", failure);
        }
    }
}
