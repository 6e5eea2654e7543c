package com.example.payments.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The relay on PostgreSQL, where the relays of several instances share the outbox.
 */
class PostgresEventRelayIT extends AbstractEventRelayTests {

    @Override
    OutboxTestDatabase createDatabase() {
        return OutboxTestDatabase.postgres();
    }

    @Test
    void relaysOnOneDatabaseTakeDisjointBatches() throws Exception {
        List<UUID> events = appendEvents(4);

        SecondRelayBatch secondBatch = relayWhileAnotherHoldsTheFirstTwoEvents();

        assertThat(secondBatch.heldByFirst()).containsExactlyElementsOf(events.subList(0, 2));
        assertThat(secondBatch.delivered()).containsExactlyElementsOf(events.subList(2, 4));
        assertThat(this.database.outbox.countUndelivered()).isZero();
    }
}
