package com.example.payments.crash;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A crash with the keys in the in-memory store: the records die with the JVM, so after a restart even a
 * recorded response is forgotten and the retry runs the handler again. Payments are in PostgreSQL, so that
 * the second one shows.
 */
class InMemoryCrashRecoveryIT extends AbstractCrashRecoveryIT {

    InMemoryCrashRecoveryIT() {
        super("in-memory", "lease", EnumSet.of(Crash.HALT_AFTER_RESPONSE_RECORDED));
    }

    @Override
    protected List<String> storeArguments() {
        return List.of("--spring.profiles.active=postgres", "--idempotency.store.type=memory");
    }

    @Override
    protected boolean storeOutlivesTheApp() {
        return false;
    }

    @Override
    protected RecordState recordState(String key) {
        return RecordState.GONE_WITH_THE_JVM;
    }

    @Test
    void haltAfterResponseRecordedThenTheRestartedAppForgetsItAndTheRetryChargesAgain() throws Exception {
        Outcome outcome = crashThenRetry(Crash.HALT_AFTER_RESPONSE_RECORDED);

        assertRetryGotThroughAtOnce(outcome);
        assertRetryChargedAgain(outcome);
    }
}
