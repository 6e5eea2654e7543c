package com.example.payments.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Crashes in the lease mode, where the claim, the payment and the recorded response are written one after
 * the other, each committed on its own: a crash leaves the claim in progress until its lease expires, and a
 * crash after the payment's commit and before the record is the window in which the retry charges again.
 */
abstract class AbstractLeaseModeCrashRecoveryIT extends AbstractCrashRecoveryIT {

    /**
     * Sets up every crash for a store in the lease mode.
     * @param storeName the store, as the results table names it
     */
    protected AbstractLeaseModeCrashRecoveryIT(String storeName) {
        super(storeName, "lease", EnumSet.allOf(Crash.class));
    }

    @Test
    void sigkillDuringChargeBlocksTheKeyUntilTheLeaseExpiresThenTheRetryRunsWithOnePayment() throws Exception {
        assertBlockedThenRanOnce(crashThenRetry(Crash.SIGKILL_DURING_CHARGE));
    }

    @Test
    void haltBeforeHandlerBlocksTheKeyUntilTheLeaseExpiresThenTheRetryRunsWithOnePayment() throws Exception {
        assertBlockedThenRanOnce(crashThenRetry(Crash.HALT_BEFORE_HANDLER));
    }

    // The known window of the lease mode, measured rather than hidden: the payment is committed, the record
    // is not, so once the lease expires the retry runs the handler again and charges a second time.
    @Test
    void haltAfterPaymentCommittedBlocksTheKeyUntilTheLeaseExpiresThenTheRetryChargesAgain() throws Exception {
        Outcome outcome = crashThenRetry(Crash.HALT_AFTER_PAYMENT_COMMITTED);

        assertBlockedUntilTheLeaseExpired(outcome);
        assertRetryChargedAgain(outcome);
    }

    @Test
    void haltAfterResponseRecordedThenTheRetryReplaysItAtOnceWithOnePayment() throws Exception {
        assertRetryReplayedAtOnce(crashThenRetry(Crash.HALT_AFTER_RESPONSE_RECORDED));
    }

    private static void assertBlockedThenRanOnce(Outcome outcome) {
        assertThat(outcome.paymentsBeforeRetry()).isEmpty();
        assertBlockedUntilTheLeaseExpired(outcome);
        assertRetryExecuted(outcome);
        assertThat(outcome.paymentsAfterRetry()).hasSize(1);
    }
}
