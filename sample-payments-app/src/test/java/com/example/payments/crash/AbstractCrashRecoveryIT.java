package com.example.payments.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kills the sample app, running as a child JVM, in the middle of a {@code POST /payments}, then retries the
 * same request with the same key until the answer is not {@code 409}, and reports what the crash left: the
 * idempotency record, the payments for the key, and how long the key stayed blocked.
 *
 * <p>Payments are kept in PostgreSQL, in a schema of the class's own. A subclass chooses where the keys are
 * kept and how. Each crash has a victim app of its own, started with the crash's settings when the class
 * starts (the apps start side by side, since starting is what these tests spend their time on). When the
 * store outlives the app, the retries go to another instance on the same schema and store, started before
 * the crash: a restart that is faster than the lease, or the next instance behind a load balancer, so that
 * the blocked time measured is the store's and not a JVM's start-up. When the store dies with the app
 * (in memory), the app is started again after the crash and the retry goes there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractCrashRecoveryIT {

    /** The lease of every app: short, so that lease-mode tests wait out little. */
    static final Duration LEASE = Duration.ofSeconds(4);

    // Seconds, while the kill follows the charge's log line within milliseconds: it always lands mid-charge.
    private static final String CHARGE_LATENCY = "3s";

    private static final Duration START_TIMEOUT = PostgresSampleApps.START_TIMEOUT;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    // Long enough to show a bounded wait, short enough not to hide a key that stays blocked for good.
    private static final Duration RETRY_DEADLINE = LEASE.plusSeconds(30);

    private static final Duration RETRY_INTERVAL = Duration.ofMillis(100);

    private static final String REPLAYED = "Idempotent-Replayed";

    private static final long WARM_UP_AMOUNT = 1;

    private final String storeName;

    private final String modeName;

    private final Set<Crash> crashes;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // One amount per scenario, above the warm-ups': the payments of a key are those of its amount.
    private final AtomicLong amounts = new AtomicLong(4200);

    private final Map<Crash, SampleAppProcess> victims = new EnumMap<>(Crash.class);

    private final List<Outcome> outcomes = new ArrayList<>();

    private PostgresSampleApps apps;

    private JdbcTemplate jdbc;

    private SampleAppProcess retryApp;

    private boolean retryAppWarm;

    /**
     * Sets up the class's crashes.
     * @param storeName the store, as the results table names it
     * @param modeName the mode, as the results table names it
     * @param crashes the crashes the class's tests inflict, whose victims are started up front
     */
    protected AbstractCrashRecoveryIT(String storeName, String modeName, Set<Crash> crashes) {
        this.storeName = storeName;
        this.modeName = modeName;
        this.crashes = crashes;
    }

    /**
     * Returns the arguments that choose the store and mode of every app of the class.
     * @return Spring Boot arguments
     */
    protected abstract List<String> storeArguments();

    /**
     * Returns what the store holds for a key.
     * @param key the idempotency key
     * @return the record's state
     */
    protected abstract RecordState recordState(String key);

    /**
     * Returns whether the store outlives the app, so that another instance can take the retries.
     * @return {@code false} for a store inside the app's JVM
     */
    protected boolean storeOutlivesTheApp() {
        return true;
    }

    /**
     * Returns the environment variables of every app, beyond the database's.
     * @return the variables
     */
    protected Map<String, String> storeEnvironment() {
        return Map.of();
    }

    /**
     * Connects to the store before any app starts, so that looking at a record right after a crash is quick.
     */
    protected void connectToStore() {}

    /**
     * Removes what the class left in its store, after the apps are gone.
     */
    protected void cleanUpStore() {}

    /**
     * Returns what the JDBC store, whose table is in the payments' schema, holds for a key.
     * @param key the idempotency key
     * @return the record's state
     */
    protected RecordState jdbcRecordState(String key) {
        List<RecordState> records = this.jdbc.query(
                "SELECT status, lease_expires_at FROM " + this.apps.schema()
                        + ".idempotency_record WHERE idempotency_key = ?",
                (row, number) -> switch (row.getString("status")) {
                    case "IN_PROGRESS" ->
                        RecordState.inProgress(
                                Duration.ofMillis(row.getLong("lease_expires_at") - System.currentTimeMillis()));
                    case "COMPLETED" -> RecordState.COMPLETED;
                    default -> throw new IllegalStateException("Unknown status " + row.getString("status"));
                },
                key);
        assertThat(records).as("records of key %s", key).hasSizeLessThanOrEqualTo(1);
        return records.isEmpty() ? RecordState.NONE : records.get(0);
    }

    @BeforeAll
    void startApps() {
        connectToStore();
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.hikari.maximum-pool-size=3",
                "--idempotency.lease=" + LEASE.toSeconds() + "s",
                "--logging.level.com.example.payments.gateway=debug"));
        arguments.addAll(storeArguments());
        this.apps = new PostgresSampleApps(getClass(), arguments, storeEnvironment());
        this.jdbc = this.apps.jdbc();
        if (storeOutlivesTheApp()) {
            this.retryApp = start("retries", List.of());
        }
        for (Crash crash : this.crashes) {
            this.victims.put(crash, start(crash.name().toLowerCase(Locale.ROOT), crash.arguments(CHARGE_LATENCY)));
        }
    }

    @AfterAll
    void stopAppsAndReport() {
        try {
            if (this.apps != null) {
                this.apps.close();
            }
            System.out.println(resultsTable());
        } finally {
            cleanUpStore();
        }
    }

    /**
     * Crashes the victim app of {@code crash} during a payment, then retries the payment with the same key
     * and body until the answer is not {@code 409}.
     * @param crash how the app dies
     * @return what the crash left and what the retry got
     */
    protected Outcome crashThenRetry(Crash crash) throws Exception {
        SampleAppProcess victim = this.victims.remove(crash);
        assertThat(victim).as("victim app for %s", crash).isNotNull();
        URI victimUri = victim.awaitReady(START_TIMEOUT);
        // A cold app can take seconds over its first payment, eating into the lease the crash leaves; the one
        // killed mid-charge needs no warming, its lease being renewed while the slow charge runs.
        if (crash.haltPoint() != null) {
            warmUp(victimUri);
        }
        if (this.retryApp != null) {
            // Ready before the crash: the time the key stays blocked must not include a start-up.
            URI retryUri = this.retryApp.awaitReady(START_TIMEOUT);
            if (!this.retryAppWarm) {
                warmUp(retryUri);
                this.retryAppWarm = true;
            }
        }
        String key = Crash.KEY_PREFIX + UUID.randomUUID();
        long amount = this.amounts.incrementAndGet();

        CompletableFuture<HttpResponse<byte[]>> lost = this.http.sendAsync(
                AliceRequests.payment(victimUri, key, amount), HttpResponse.BodyHandlers.ofByteArray());
        if (crash.haltPoint() == null) {
            victim.awaitLog("Charging " + amount + " USD", TIMEOUT);
            victim.kill();
        }
        int exitStatus = victim.awaitExit(TIMEOUT);
        // Wall-clock time, as the stores count leases (the JDBC store by the apps' clock, Redis by its own).
        long crashedAt = System.currentTimeMillis();

        assertThat(exitStatus).as("exit status of the app after %s", crash).isEqualTo(crash.exitStatus());
        if (crash.haltPoint() != null) {
            assertThat(victim.log()).contains("halting the JVM at " + crash.haltPoint());
        }
        assertThat(lost)
                .as("the answer to the request that crashed")
                .failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IOException.class);
        RecordState left = recordState(key);
        List<UUID> paymentsBeforeRetry = payments(amount);

        URI targetUri;
        long blockedSince = crashedAt;
        if (this.retryApp != null) {
            targetUri = this.retryApp.awaitReady(START_TIMEOUT);
        } else {
            // A restart's own start-up is not time the store kept the key blocked.
            targetUri = start("restarted-after-" + crash.name().toLowerCase(Locale.ROOT), List.of())
                    .awaitReady(START_TIMEOUT);
            blockedSince = System.currentTimeMillis();
        }
        Retry retry = retryUntilNotInProgress(targetUri, key, amount, blockedSince);
        Outcome outcome = new Outcome(crash, left, paymentsBeforeRetry, retry, payments(amount));
        this.outcomes.add(outcome);
        return outcome;
    }

    /**
     * Asserts that the first retry got through: the key was never answered with {@code 409}.
     * @param outcome the outcome
     */
    protected static void assertRetryGotThroughAtOnce(Outcome outcome) {
        assertThat(outcome.retry().inProgressAnswers())
                .as("409 answers before the retry got through")
                .isZero();
    }

    /**
     * Asserts that the key answered {@code 409} with {@code Retry-After} until the lease left by the crash
     * expired, and no longer.
     * @param outcome the outcome
     */
    protected static void assertBlockedUntilTheLeaseExpired(Outcome outcome) {
        Duration leaseRemaining = outcome.recordAfterCrash().leaseRemaining();
        assertThat(outcome.recordAfterCrash().state()).isEqualTo(RecordState.State.IN_PROGRESS);
        assertThat(leaseRemaining).isPositive().isLessThanOrEqualTo(LEASE);
        assertThat(outcome.retry().inProgressAnswers())
                .as("409 answers before the retry got through")
                .isPositive();
        assertThat(outcome.retry().firstRetryAfterSeconds())
                .as("Retry-After of the first 409")
                .isBetween(1L, LEASE.toSeconds());
        // The lease was measured after the crash, so the key cannot have been free sooner. The upper bound
        // allows for a loaded machine's slow requests between polls.
        assertThat(outcome.retry().blocked())
                .as("time the key stayed blocked after the crash")
                .isGreaterThanOrEqualTo(leaseRemaining.minusMillis(50))
                .isLessThanOrEqualTo(LEASE.plusSeconds(5));
    }

    /**
     * Asserts that the crash came after the recorded response, which the first retry got back: one payment.
     * @param outcome the outcome
     */
    protected static void assertRetryReplayedAtOnce(Outcome outcome) {
        assertThat(outcome.recordAfterCrash()).isEqualTo(RecordState.COMPLETED);
        assertThat(outcome.paymentsBeforeRetry()).hasSize(1);
        assertRetryGotThroughAtOnce(outcome);
        assertRetryReplayed(outcome);
        assertThat(outcome.paymentsAfterRetry()).isEqualTo(outcome.paymentsBeforeRetry());
    }

    /**
     * Asserts that the crash left a committed payment behind and the retry made a second one.
     * @param outcome the outcome
     */
    protected static void assertRetryChargedAgain(Outcome outcome) {
        assertThat(outcome.paymentsBeforeRetry()).hasSize(1);
        assertRetryExecuted(outcome);
        assertThat(outcome.paymentsAfterRetry()).hasSize(2).containsAll(outcome.paymentsBeforeRetry());
    }

    /**
     * Asserts that the retry ran the handler: a new payment, not a replay.
     * @param outcome the outcome
     */
    protected static void assertRetryExecuted(Outcome outcome) {
        HttpResponse<byte[]> response = outcome.retry().response();
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue(REPLAYED)).as(REPLAYED).isEmpty();
        assertThat(outcome.paymentsAfterRetry()).contains(paymentId(response));
        assertThat(outcome.paymentsBeforeRetry()).doesNotContain(paymentId(response));
    }

    /**
     * Asserts that the retry got the crashed request's recorded response: its payment, marked replayed.
     * @param outcome the outcome
     */
    protected static void assertRetryReplayed(Outcome outcome) {
        HttpResponse<byte[]> response = outcome.retry().response();
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue(REPLAYED)).as(REPLAYED).hasValue("true");
        assertThat(outcome.paymentsBeforeRetry()).containsExactly(paymentId(response));
    }

    private SampleAppProcess start(String name, List<String> extraArguments) {
        return this.apps.start(name, extraArguments);
    }

    private void warmUp(URI uri) throws Exception {
        HttpResponse<byte[]> response = this.http.send(
                AliceRequests.payment(uri, UUID.randomUUID().toString(), WARM_UP_AMOUNT),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("warm-up payment").isEqualTo(201);
    }

    private Retry retryUntilNotInProgress(URI uri, String key, long amount, long since) throws Exception {
        int inProgress = 0;
        Long firstRetryAfter = null;
        long deadline = System.nanoTime() + RETRY_DEADLINE.toNanos();
        while (true) {
            HttpResponse<byte[]> response =
                    this.http.send(AliceRequests.payment(uri, key, amount), HttpResponse.BodyHandlers.ofByteArray());
            // Counted to the answer, not to the request's start: the claim that got through ran in between,
            // so the lease had expired by then, however slowly a loaded machine carried the request.
            long answeredAt = System.currentTimeMillis();
            if (response.statusCode() != 409) {
                Duration blocked = (inProgress == 0) ? Duration.ZERO : Duration.ofMillis(answeredAt - since);
                return new Retry(response, inProgress, firstRetryAfter, blocked);
            }
            if (inProgress++ == 0) {
                firstRetryAfter = response.headers()
                        .firstValue("Retry-After")
                        .map(Long::valueOf)
                        .orElse(null);
            }
            assertThat(System.nanoTime())
                    .as("the key still answered 409 %s after the crash", RETRY_DEADLINE)
                    .isLessThan(deadline);
            // A client's pace between retries; the lease's end is what is being measured.
            Thread.sleep(RETRY_INTERVAL.toMillis());
        }
    }

    private List<UUID> payments(long amount) {
        return this.jdbc.queryForList(
                "SELECT id FROM " + this.apps.schema()
                        + ".payment WHERE owner = 'alice' AND amount = ? ORDER BY created_at",
                UUID.class,
                amount);
    }

    private static UUID paymentId(HttpResponse<byte[]> response) {
        return UUID.fromString(
                JsonMapper.shared().readTree(response.body()).get("id").asString());
    }

    private String resultsTable() {
        StringBuilder table = new StringBuilder();
        table.append("\nCrash recovery: ")
                .append(this.storeName)
                .append(", ")
                .append(this.modeName)
                .append(", lease ")
                .append(LEASE.toSeconds())
                .append(" s\n");
        table.append("| store | mode | kill point | record after the crash | payments before the retry"
                + " | retry's answer | 409s | key blocked (s) | payments for the key |\n");
        table.append("|---|---|---|---|---|---|---|---|---|\n");
        this.outcomes.sort(Comparator.comparing(Outcome::crash));
        for (Outcome outcome : this.outcomes) {
            HttpResponse<byte[]> response = outcome.retry().response();
            String answer = response.statusCode()
                    + (response.headers().firstValue(REPLAYED).isPresent() ? " replayed" : " executed");
            table.append("| %s | %s | %s | %s | %d | %s | %d | %.1f | %d |\n"
                    .formatted(
                            this.storeName,
                            this.modeName,
                            outcome.crash().description(this.modeName.equals("transactional")),
                            outcome.recordAfterCrash(),
                            outcome.paymentsBeforeRetry().size(),
                            answer,
                            outcome.retry().inProgressAnswers(),
                            outcome.retry().blocked().toMillis() / 1000.0,
                            outcome.paymentsAfterRetry().size()));
        }
        return table.toString();
    }

    /**
     * What a crash left, and what the retry got.
     *
     * @param crash how the app died
     * @param recordAfterCrash what the store held for the key right after the crash
     * @param paymentsBeforeRetry the key's payments right after the crash
     * @param retry the retry that got through
     * @param paymentsAfterRetry the key's payments after it
     */
    record Outcome(
            Crash crash,
            RecordState recordAfterCrash,
            List<UUID> paymentsBeforeRetry,
            Retry retry,
            List<UUID> paymentsAfterRetry) {}

    /**
     * The retry that got an answer other than {@code 409}.
     *
     * @param response that answer
     * @param inProgressAnswers how many {@code 409} answers came before it
     * @param firstRetryAfterSeconds {@code Retry-After} of the first {@code 409}, {@code null} without one
     * @param blocked from the crash (or the restart) to the answer that got through; zero when the first did
     */
    record Retry(HttpResponse<byte[]> response, int inProgressAnswers, Long firstRetryAfterSeconds, Duration blocked) {}
}
