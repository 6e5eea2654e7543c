package com.example.payments.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transactional outbox: events written in the transaction of the change they tell of, so that the
 * change and its event are committed together or not at all, then taken from here by the
 * {@link EventRelay}.
 */
@Repository
public class Outbox {

    // SKIP LOCKED: relays of several instances on one database take disjoint batches instead of queueing
    // behind each other's locks (PostgreSQL and H2 both have it).
    private static final String LOCK_UNDELIVERED = """
            SELECT id, event_id, event_type, event_key, payload FROM outbox_event
            WHERE delivered_at IS NULL ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED""";

    private final JdbcClient jdbc;

    private final EventJson json;

    /**
     * Creates the outbox.
     * @param jdbc the application's database
     * @param json writes the events' payloads
     */
    public Outbox(JdbcClient jdbc, EventJson json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Adds an event, in the caller's transaction.
     * @param event the event
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(PaymentSucceeded event) {
        this.jdbc
                .sql("""
                        INSERT INTO outbox_event (event_id, event_type, event_key, payload, occurred_at)
                        VALUES (:eventId, :type, :key, :payload, :occurredAt)""")
                .param("eventId", event.eventId())
                .param("type", PaymentSucceeded.TYPE)
                .param("key", event.owner())
                .param("payload", this.json.write(event))
                .param("occurredAt", utc(event.occurredAt()))
                .update();
    }

    /**
     * Takes the oldest undelivered events that no other transaction holds, and holds them until the caller's
     * transaction ends.
     * @param limit how many at most
     * @return the events, oldest first
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<OutboxEvent> lockUndelivered(int limit) {
        return this.jdbc
                .sql(LOCK_UNDELIVERED)
                .param("limit", limit)
                .query((row, number) -> new OutboxEvent(
                        row.getLong("id"),
                        row.getObject("event_id", UUID.class),
                        row.getString("event_type"),
                        row.getString("event_key"),
                        row.getString("payload")))
                .list();
    }

    /**
     * Marks events delivered, in the caller's transaction.
     * @param ids the events' row ids
     * @param deliveredAt when they were delivered
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void markDelivered(Collection<Long> ids, Instant deliveredAt) {
        if (ids.isEmpty()) {
            return;
        }
        this.jdbc
                .sql("UPDATE outbox_event SET delivered_at = :deliveredAt WHERE id IN (:ids)")
                .param("deliveredAt", utc(deliveredAt))
                .param("ids", ids)
                .update();
    }

    /**
     * Counts the events not delivered yet.
     * @return the count
     */
    public long countUndelivered() {
        return this.jdbc
                .sql("SELECT count(*) FROM outbox_event WHERE delivered_at IS NULL")
                .query(Long.class)
                .single();
    }

    // Drivers map OffsetDateTime to TIMESTAMP WITH TIME ZONE; not all of them take an Instant.
    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
