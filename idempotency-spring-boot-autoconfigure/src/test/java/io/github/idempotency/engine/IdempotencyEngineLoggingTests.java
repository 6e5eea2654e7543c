package io.github.idempotency.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the engine puts into the log: the key in the MDC while an admitted operation runs, and, when the
 * store cannot take a call's end, an error that tells the operator what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdempotencyEngineLoggingTests {

    private static final StoredResponse OK = new StoredResponse(200, List.of(), new byte[0], false);

    private static LeaseRenewer leaseRenewer;

    private final BreakableStore store =
            new BreakableStore(new InMemoryIdempotencyStore(Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER, 100));

    private final IdempotencyEngine engine =
            new IdempotencyEngine(this.store, leaseRenewer, null, Duration.ofSeconds(30), false);

    @BeforeAll
    static void startLeaseRenewer() {
        leaseRenewer = new LeaseRenewer();
    }

    @AfterAll
    static void stopLeaseRenewer() {
        leaseRenewer.destroy();
    }

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void admitWhenClaimedThenKeyIsInMdcUntilTheExecutionEnds() {
        Execution execution = proceed("order-1");

        assertThat(MDC.get(IdempotencyEngine.MDC_KEY)).isEqualTo("order-1");
        execution.complete(OK);
        assertThat(MDC.get(IdempotencyEngine.MDC_KEY)).isNull();
    }

    @Test
    void abandonThenKeyLeavesTheMdc() {
        proceed("order-2").abandon();

        assertThat(MDC.get(IdempotencyEngine.MDC_KEY)).isNull();
    }

    @Test
    void admitWhenNestedThenInnerKeyWhileInnerRunsAndOuterKeyAfter() {
        Execution outer = proceed("request-key");
        Execution inner = proceed("event-key");

        assertThat(MDC.get(IdempotencyEngine.MDC_KEY)).isEqualTo("event-key");
        inner.complete(OK);
        assertThat(MDC.get(IdempotencyEngine.MDC_KEY)).isEqualTo("request-key");
        outer.complete(OK);
        assertThat(MDC.get(IdempotencyEngine.MDC_KEY)).isNull();
    }

    @Test
    void admitWhenReplayedThenMdcIsLeftAlone() {
        proceed("order-3").complete(OK);

        assertThat(admit("order-3")).isInstanceOf(Admission.Replay.class);
        assertThat(MDC.get(IdempotencyEngine.MDC_KEY)).isNull();
    }

    @Test
    void executionWhenEndedOnAnotherThreadThenLeavesThatThreadsMdcAlone() throws Exception {
        Execution execution = proceed("order-4");
        AtomicReference<String> otherThreadsKey = new AtomicReference<>();
        Thread other = new Thread(() -> {
            MDC.put(IdempotencyEngine.MDC_KEY, "other-thread-key");
            execution.complete(OK);
            otherThreadsKey.set(MDC.get(IdempotencyEngine.MDC_KEY));
        });
        other.start();
        other.join();

        assertThat(this.store.completed).isTrue();
        assertThat(otherThreadsKey).hasValue("other-thread-key");
    }

    @Test
    void completeWhenStoreFailsThenLogsErrorSayingWhatToDo(CapturedOutput output) {
        Execution execution = proceed("order-5");
        this.store.broken = true;

        execution.complete(OK);

        assertThat(output)
                .contains("ERROR")
                .contains("order-5")
                .contains("could not be recorded, although the operation ran")
                .contains("Restore the store")
                .contains("idempotency.lease");
    }

    @Test
    void abandonWhenStoreFailsThenLogsErrorSayingWhatToDo(CapturedOutput output) {
        Execution execution = proceed("order-6");
        this.store.broken = true;

        execution.abandon();

        assertThat(output)
                .contains("ERROR")
                .contains("order-6")
                .contains("could not be released")
                .contains("delete the key with the 'idempotency' actuator endpoint");
    }

    @Test
    void engineWhenUnobservedThenCallsTheStoreItself() {
        assertThat(this.engine.store()).isSameAs(this.store);
        IdempotencyEngine observed = new IdempotencyEngine(
                this.store,
                leaseRenewer,
                null,
                Duration.ofSeconds(30),
                false,
                InProgressRetryAfter.estimated(Clock.systemUTC()),
                ObservationRegistry.create());
        assertThat(observed.store()).isInstanceOf(ObservedIdempotencyStore.class);
    }

    private Admission admit(String key) {
        return this.engine.admit(new IdempotentOperation(
                "OrderController#create(NewOrder)",
                new IdempotencyKey("user:alice POST /orders", key),
                "fingerprint",
                Duration.ofHours(1),
                false));
    }

    private Execution proceed(String key) {
        Admission admission = admit(key);
        assertThat(admission).isInstanceOf(Admission.Proceed.class);
        return ((Admission.Proceed) admission).execution();
    }

    /**
     * An in-memory store whose writes after the claim can be made to fail: what the engine does with a
     * failure is under test here, not a store.
     */
    private static final class BreakableStore implements IdempotencyStore {

        private final IdempotencyStore delegate;

        volatile boolean broken;

        volatile boolean completed;

        BreakableStore(IdempotencyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
            return this.delegate.claim(key, fingerprint, lease);
        }

        @Override
        public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
            failIfBroken();
            this.completed = this.delegate.complete(key, token, response, ttl);
            return this.completed;
        }

        @Override
        public boolean release(IdempotencyKey key, ClaimToken token) {
            failIfBroken();
            return this.delegate.release(key, token);
        }

        @Override
        public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
            return this.delegate.renew(key, token, lease);
        }

        private void failIfBroken() {
            if (this.broken) {
                throw new IdempotencyStoreException("store down (test)");
            }
        }
    }
}
