package io.github.idempotency.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.actuate.IdempotencyRecordFailureCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics every store gets through the engine, whichever front door calls it: the
 * {@code idempotency.operation} timer per outcome, the {@code idempotency.store} timer per store call and
 * result, and the {@code idempotency.record.failures} counter, read from a Micrometer registry as a
 * dashboard would. Subclassed per store, against the real store and a real outage of it.
 */
public abstract class IdempotencyEngineObservationContractTests {

    /** Name of the operation every test calls. */
    protected static final String OPERATION = "OrderController#create(NewOrder)";

    private static final Duration LEASE = Duration.ofSeconds(30);

    private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static final String OTHER_FINGERPRINT = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    private static final StoredResponse CREATED = new StoredResponse(
            201,
            List.of(new StoredResponse.Header("Location", "/orders/1")),
            "{}".getBytes(StandardCharsets.UTF_8),
            false);

    private static LeaseRenewer leaseRenewer;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ObservationRegistry observations = ObservationRegistry.create();

    private IdempotencyStore store;

    protected IdempotencyEngineObservationContractTests() {
        // What Spring Boot's auto-configuration registers where Micrometer's metrics are in use.
        this.observations
                .observationConfig()
                .observationHandler(new DefaultMeterObservationHandler(this.meters))
                .observationHandler(new IdempotencyRecordFailureCounter(this.meters));
    }

    /**
     * Creates the store under test, on a server that answers.
     * @return the store
     */
    protected abstract IdempotencyStore createStore();

    /**
     * Creates a store of the same kind that cannot answer: its server cannot be reached, or it is full.
     * @return the store
     */
    protected abstract IdempotencyStore createUnavailableStore();

    /**
     * Makes the store fail every call about {@code key} from now on, the way its server fails.
     * @param key the key
     */
    protected abstract void breakStore(IdempotencyKey key);

    /**
     * Returns the {@code store} tag the store's metrics carry.
     * @return the store's name
     */
    protected abstract String storeName();

    @BeforeAll
    static void startLeaseRenewer() {
        leaseRenewer = new LeaseRenewer();
    }

    @AfterAll
    static void stopLeaseRenewer() {
        leaseRenewer.destroy();
    }

    /**
     * Returns the store under test, creating it on first use.
     * @return the store
     */
    protected final synchronized IdempotencyStore store() {
        if (this.store == null) {
            this.store = createStore();
        }
        return this.store;
    }

    @Test
    void admitWhenKeyIsNewAndOutcomeRecordedThenTimesExecutedAndRecorded() {
        IdempotencyEngine engine = engine(store(), false);

        assertThat(proceed(engine, newKey(), FINGERPRINT).complete(CREATED)).isTrue();

        assertThat(operations("executed", "recorded").count()).isEqualTo(1);
        assertThat(storeCalls("claim", "ok").count()).isEqualTo(1);
        assertThat(storeCalls("complete", "ok").count()).isEqualTo(1);
    }

    @Test
    void abandonThenTimesExecutedAndReleased() {
        IdempotencyEngine engine = engine(store(), false);

        proceed(engine, newKey(), FINGERPRINT).abandon();

        assertThat(operations("executed", "released").count()).isEqualTo(1);
        assertThat(storeCalls("release", "ok").count()).isEqualTo(1);
    }

    @Test
    void admitWhenCompletedThenTimesReplayed() {
        IdempotencyEngine engine = engine(store(), false);
        IdempotencyKey key = newKey();
        proceed(engine, key, FINGERPRINT).complete(CREATED);

        assertThat(admit(engine, key, FINGERPRINT)).isInstanceOf(Admission.Replay.class);
        assertThat(admit(engine, key, FINGERPRINT)).isInstanceOf(Admission.Replay.class);

        assertThat(operations("replayed", "none").count()).isEqualTo(2);
        assertThat(storeCalls("claim", "ok").count()).isEqualTo(3);
    }

    @Test
    void admitWhenKeyIsRunningThenTimesInProgress() {
        IdempotencyEngine engine = engine(store(), false);
        IdempotencyKey key = newKey();
        Execution running = proceed(engine, key, FINGERPRINT);

        assertThat(admit(engine, key, FINGERPRINT)).isInstanceOf(Admission.InProgress.class);

        assertThat(operations("in_progress", "none").count()).isEqualTo(1);
        running.complete(CREATED);
    }

    @Test
    void admitWhenFingerprintDiffersThenTimesKeyReused() {
        IdempotencyEngine engine = engine(store(), false);
        IdempotencyKey key = newKey();
        proceed(engine, key, FINGERPRINT).complete(CREATED);

        assertThat(admit(engine, key, OTHER_FINGERPRINT)).isInstanceOf(Admission.KeyReused.class);

        assertThat(operations("key_reused", "none").count()).isEqualTo(1);
    }

    @Test
    void rejectThenTimesRejectedWithoutCallingTheStore() {
        IdempotencyEngine engine = engine(store(), false);

        engine.reject(OPERATION);

        assertThat(operations("rejected", "none").count()).isEqualTo(1);
        assertThat(this.meters.find(ObservedIdempotencyStore.NAME).timers()).isEmpty();
    }

    @Test
    void admitWhenStoreUnavailableThenTimesStoreUnavailableAndTheFailedClaim() {
        IdempotencyEngine engine = engine(createUnavailableStore(), false);

        assertThat(admit(engine, newKey(), FINGERPRINT)).isInstanceOf(Admission.StoreUnavailable.class);

        assertThat(operations("store_unavailable", "none").getId().getTag("error"))
                .isEqualTo("IdempotencyStoreException");
        assertThat(storeCalls("claim", "error").count()).isEqualTo(1);
    }

    @Test
    void admitWhenStoreUnavailableAndFailingOpenThenTimesFailOpen() {
        IdempotencyEngine engine = engine(createUnavailableStore(), true);

        assertThat(admit(engine, newKey(), FINGERPRINT)).isInstanceOf(Admission.Unprotected.class);

        assertThat(operations("fail_open", "none").count()).isEqualTo(1);
    }

    @Test
    void completeWhenStoreFailsThenTimesRecordFailedAndCountsIt() {
        IdempotencyEngine engine = engine(store(), false);
        IdempotencyKey key = newKey();
        Execution execution = proceed(engine, key, FINGERPRINT);
        breakStore(key);

        // With a lease, the operation's effect stands even though its outcome is not recorded.
        assertThat(execution.complete(CREATED)).isTrue();

        assertThat(operations("executed", "record_failed").count()).isEqualTo(1);
        assertThat(storeCalls("complete", "error").count()).isEqualTo(1);
        assertThat(recordFailures("record_failed")).isEqualTo(1);
    }

    @Test
    void abandonWhenStoreFailsThenTimesReleaseFailedAndCountsIt() {
        IdempotencyEngine engine = engine(store(), false);
        IdempotencyKey key = newKey();
        Execution execution = proceed(engine, key, FINGERPRINT);
        breakStore(key);

        execution.abandon();

        assertThat(operations("executed", "release_failed").count()).isEqualTo(1);
        assertThat(recordFailures("release_failed")).isEqualTo(1);
    }

    @Test
    void admitWhenEngineFailsThenStopsTheObservationWithOutcomeUnknown() {
        IdempotencyEngine engine = engine(store(), false);
        IdempotentOperation transactional =
                new IdempotentOperation(OPERATION, newKey(), FINGERPRINT, Duration.ofHours(1), true);

        assertThatIllegalStateException().isThrownBy(() -> engine.admit(transactional));

        assertThat(operations("unknown", "none").getId().getTag("error")).isEqualTo("IllegalStateException");
        assertThat(this.meters
                        .get(DefaultIdempotencyObservationConvention.NAME + ".active")
                        .longTaskTimer()
                        .activeTasks())
                .isZero();
    }

    @Test
    void executionWhenRecordedThenCountsNoFailure() {
        IdempotencyEngine engine = engine(store(), false);

        proceed(engine, newKey(), FINGERPRINT).complete(CREATED);

        assertThat(this.meters.find(IdempotencyRecordFailureCounter.NAME).counters())
                .isEmpty();
    }

    private IdempotencyEngine engine(IdempotencyStore store, boolean failOpen) {
        return new IdempotencyEngine(
                store,
                leaseRenewer,
                null,
                LEASE,
                failOpen,
                InProgressRetryAfter.estimated(Clock.systemUTC()),
                this.observations);
    }

    private static IdempotencyKey newKey() {
        return new IdempotencyKey("user:alice POST /orders", "key-" + UUID.randomUUID());
    }

    private static Admission admit(IdempotencyEngine engine, IdempotencyKey key, String fingerprint) {
        return engine.admit(new IdempotentOperation(OPERATION, key, fingerprint, Duration.ofHours(1), false));
    }

    private static Execution proceed(IdempotencyEngine engine, IdempotencyKey key, String fingerprint) {
        Admission admission = admit(engine, key, fingerprint);
        assertThat(admission).isInstanceOf(Admission.Proceed.class);
        return ((Admission.Proceed) admission).execution();
    }

    private Timer operations(String outcome, String record) {
        return this.meters
                .get(DefaultIdempotencyObservationConvention.NAME)
                .tags("outcome", outcome, "record", record, "store", storeName(), "operation", OPERATION)
                .timer();
    }

    private Timer storeCalls(String operation, String result) {
        return this.meters
                .get(ObservedIdempotencyStore.NAME)
                .tags("store", storeName(), "operation", operation, "result", result)
                .timer();
    }

    private double recordFailures(String record) {
        return this.meters
                .get(IdempotencyRecordFailureCounter.NAME)
                .tags("store", storeName(), "operation", OPERATION, "record", record)
                .counter()
                .count();
    }
}
