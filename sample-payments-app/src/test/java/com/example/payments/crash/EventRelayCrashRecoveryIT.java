package com.example.payments.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.payments.fault.FaultInjectionConfiguration;
import com.example.payments.fault.HaltPoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Halts the sample app, running as a child JVM on PostgreSQL, after its ledger consumer committed a payment
 * event and before its relay marked the event delivered; then starts the app again on the same schema. The
 * restarted app delivers the event again, and the consumer's idempotency record, committed with the ledger
 * entry, keeps it from being booked twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventRelayCrashRecoveryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final long AMOUNT = 4321;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PostgresSampleApps apps;

    private SampleAppProcess victim;

    @BeforeAll
    void startVictim() {
        this.apps = new PostgresSampleApps(
                getClass(),
                List.of("--spring.profiles.active=postgres", "--logging.level.com.example.payments.events=debug"),
                Map.of());
        this.victim = this.apps.start(
                "halts-after-event-consumed",
                List.of("--" + FaultInjectionConfiguration.PROPERTY + "=" + HaltPoint.AFTER_EVENT_CONSUMED));
    }

    @AfterAll
    void stopApps() {
        if (this.apps != null) {
            this.apps.close();
        }
    }

    @Test
    void haltAfterEventConsumedThenTheRestartedAppDeliversItAgainAndTheLedgerHoldsItOnce() throws Exception {
        URI victimUri = this.victim.awaitReady(PostgresSampleApps.START_TIMEOUT);
        // Its answer may or may not come before the halt: the relay can take the event as soon as it commits.
        this.http.sendAsync(
                AliceRequests.payment(victimUri, UUID.randomUUID().toString(), AMOUNT),
                HttpResponse.BodyHandlers.discarding());

        assertThat(this.victim.awaitExit(TIMEOUT)).isEqualTo(FaultInjectionConfiguration.HALT_STATUS);
        assertThat(this.victim.log()).contains("halting the JVM at " + HaltPoint.AFTER_EVENT_CONSUMED);
        UUID eventId = eventOfThePayment();
        assertThat(isDelivered(eventId))
                .as("event delivered before the restart")
                .isFalse();
        assertThat(ledgerEntries(eventId))
                .as("ledger entries of the event before the restart")
                .isEqualTo(1);
        assertThat(consumptionRecord(eventId)).containsExactly("COMPLETED");

        SampleAppProcess restarted = this.apps.start("restarted", List.of());
        URI restartedUri = restarted.awaitReady(PostgresSampleApps.START_TIMEOUT);
        restarted.awaitLog("Relayed 1 events", TIMEOUT);

        assertThat(isDelivered(eventId)).as("event delivered after the restart").isTrue();
        assertThat(ledgerEntries(eventId))
                .as("ledger entries of the event after the restart")
                .isEqualTo(1);
        JsonNode ledger = JsonMapper.shared()
                .readTree(this.http
                        .send(AliceRequests.get(restartedUri, "/ledger"), HttpResponse.BodyHandlers.ofByteArray())
                        .body());
        assertThat(ledger.get("entries")).hasSize(1);
        assertThat(ledger.get("entries").get(0).get("eventId").asString()).isEqualTo(eventId.toString());
        assertThat(ledger.get("balances").get("USD").asLong()).isEqualTo(AMOUNT);
    }

    private UUID eventOfThePayment() {
        return this.apps
                .jdbc()
                .queryForObject("SELECT event_id FROM " + this.apps.schema() + ".outbox_event", UUID.class);
    }

    private boolean isDelivered(UUID eventId) {
        return Boolean.TRUE.equals(this.apps
                .jdbc()
                .queryForObject(
                        "SELECT delivered_at IS NOT NULL FROM " + this.apps.schema()
                                + ".outbox_event WHERE event_id = ?",
                        Boolean.class,
                        eventId));
    }

    private int ledgerEntries(UUID eventId) {
        Integer entries = this.apps
                .jdbc()
                .queryForObject(
                        "SELECT count(*) FROM " + this.apps.schema() + ".ledger_entry WHERE event_id = ?",
                        Integer.class,
                        eventId.toString());
        return (entries != null) ? entries : 0;
    }

    private List<String> consumptionRecord(UUID eventId) {
        return this.apps
                .jdbc()
                .queryForList(
                        "SELECT status FROM " + this.apps.schema() + ".idempotency_record WHERE idempotency_key = ?",
                        String.class,
                        eventId.toString());
    }
}
