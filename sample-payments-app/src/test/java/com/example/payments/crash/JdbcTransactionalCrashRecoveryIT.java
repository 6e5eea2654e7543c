package com.example.payments.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Crashes in the JDBC store's transactional mode on PostgreSQL, where the claim, the payment and the recorded
 * response commit together: whatever the point of the crash, the database keeps all of them or none, so the
 * retry never waits for a lease and there is exactly one payment for the key.
 */
class JdbcTransactionalCrashRecoveryIT extends AbstractCrashRecoveryIT {

    JdbcTransactionalCrashRecoveryIT() {
        super("JDBC (PostgreSQL)", "transactional", EnumSet.allOf(Crash.class));
    }

    @Override
    protected List<String> storeArguments() {
        return List.of("--spring.profiles.active=postgres", "--idempotency.jdbc.transactional=true");
    }

    @Override
    protected RecordState recordState(String key) {
        return jdbcRecordState(key);
    }

    @Test
    void sigkillDuringChargeRollsBackTheClaimSoTheRetryRunsAtOnceWithOnePayment() throws Exception {
        assertRolledBackSoTheRetryRanAtOnce(crashThenRetry(Crash.SIGKILL_DURING_CHARGE));
    }

    @Test
    void haltBeforeHandlerRollsBackTheClaimSoTheRetryRunsAtOnceWithOnePayment() throws Exception {
        assertRolledBackSoTheRetryRanAtOnce(crashThenRetry(Crash.HALT_BEFORE_HANDLER));
    }

    // In this mode the point is "payment written, nothing committed": the service's save joined the request's
    // transaction, and the fault injection flushes it so that PostgreSQL holds the uncommitted row.
    @Test
    void haltAfterPaymentWrittenRollsBackPaymentAndClaimSoTheRetryRunsAtOnceWithOnePayment() throws Exception {
        assertRolledBackSoTheRetryRanAtOnce(crashThenRetry(Crash.HALT_AFTER_PAYMENT_COMMITTED));
    }

    @Test
    void haltAfterResponseCommittedThenTheRetryReplaysItAtOnceWithOnePayment() throws Exception {
        assertRetryReplayedAtOnce(crashThenRetry(Crash.HALT_AFTER_RESPONSE_RECORDED));
    }

    private static void assertRolledBackSoTheRetryRanAtOnce(Outcome outcome) {
        assertThat(outcome.recordAfterCrash()).isEqualTo(RecordState.NONE);
        assertThat(outcome.paymentsBeforeRetry()).isEmpty();
        assertRetryGotThroughAtOnce(outcome);
        assertRetryExecuted(outcome);
        assertThat(outcome.paymentsAfterRetry()).hasSize(1);
    }
}
