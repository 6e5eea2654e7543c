package com.example.payments.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two instances of the sample app, child JVMs on one PostgreSQL schema, take payments and relay the outbox
 * side by side, each delivering every event three times to its own ledger consumer, in small batches so that
 * both relays have work. Every payment is credited once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesRelayIT {

    private static final int PAYMENTS = 40;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PostgresSampleApps apps;

    private final List<SampleAppProcess> instances = new ArrayList<>();

    @BeforeAll
    void startInstances() {
        this.apps = new PostgresSampleApps(
                getClass(),
                List.of(
                        "--spring.profiles.active=postgres",
                        "--sample.events.delivery-copies=3",
                        "--sample.events.batch-size=5",
                        "--logging.level.com.example.payments.events=debug"),
                Map.of());
        // Side by side: starting is what this test spends its time on.
        this.instances.add(this.apps.start("first", List.of()));
        this.instances.add(this.apps.start("second", List.of()));
    }

    @AfterAll
    void stopInstances() {
        if (this.apps != null) {
            this.apps.close();
        }
    }

    @Test
    void twoInstancesRelayingFromOneDatabaseCreditEveryPaymentOnce() throws Exception {
        List<URI> uris = new ArrayList<>();
        for (SampleAppProcess instance : this.instances) {
            uris.add(instance.awaitReady(PostgresSampleApps.START_TIMEOUT));
        }

        List<CompletableFuture<HttpResponse<Void>>> payments = new ArrayList<>();
        for (int i = 0; i < PAYMENTS; i++) {
            payments.add(this.http.sendAsync(
                    AliceRequests.payment(uris.get(i % 2), UUID.randomUUID().toString(), 100 + i),
                    HttpResponse.BodyHandlers.discarding()));
        }
        for (CompletableFuture<HttpResponse<Void>> payment : payments) {
            assertThat(payment.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .isEqualTo(201);
        }
        await("every event delivered")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> count("outbox_event WHERE delivered_at IS NULL") == 0);

        assertThat(count("payment")).isEqualTo(PAYMENTS);
        assertThat(count("ledger_entry")).isEqualTo(PAYMENTS);
        assertThat(count("(SELECT DISTINCT payment_id FROM " + this.apps.schema() + ".ledger_entry) AS credited"))
                .isEqualTo(PAYMENTS);
        assertThat(this.apps
                        .jdbc()
                        .queryForObject(
                                "SELECT balance FROM " + this.apps.schema() + ".ledger_balance WHERE owner = 'alice'",
                                Long.class))
                .isEqualTo(this.apps
                        .jdbc()
                        .queryForObject("SELECT sum(amount) FROM " + this.apps.schema() + ".payment", Long.class));
        assertThat(this.instances)
                .as("instances whose relay delivered events")
                .allSatisfy(instance -> assertThat(instance.log()).contains("Relayed "));
    }

    private long count(String from) {
        String table = from.startsWith("(") ? from : this.apps.schema() + "." + from;
        Long count = this.apps.jdbc().queryForObject("SELECT count(*) FROM " + table, Long.class);
        return (count != null) ? count : 0;
    }
}
