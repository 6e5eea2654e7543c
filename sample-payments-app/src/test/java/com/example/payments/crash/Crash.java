package com.example.payments.crash;

import com.example.payments.fault.FaultInjectionConfiguration;
import com.example.payments.fault.HaltPoint;
import java.util.List;

/**
 * How a crash test ends the app in the middle of a {@code POST /payments}.
 */
enum Crash {

    /** SIGKILL from outside while the card gateway is charging, before the payment is saved. */
    SIGKILL_DURING_CHARGE("SIGKILL mid-charge", "SIGKILL mid-charge", null),

    /** Halt once the key is claimed, before the handler runs. */
    HALT_BEFORE_HANDLER("halt before the handler", "halt before the handler", HaltPoint.BEFORE_HANDLER),

    /** Halt once the payment is saved (committed in the lease mode), before the response is recorded. */
    HALT_AFTER_PAYMENT_COMMITTED(
            "halt after the payment is committed",
            "halt after the payment is written (uncommitted)",
            HaltPoint.AFTER_PAYMENT_COMMITTED),

    /** Halt once the response is recorded (and committed), before it is sent. */
    HALT_AFTER_RESPONSE_RECORDED(
            "halt after the response is recorded",
            "halt after the response is committed",
            HaltPoint.AFTER_RESPONSE_RECORDED);

    /** Start of the idempotency key of the request that crashes: other requests do not halt the app. */
    static final String KEY_PREFIX = "crash-";

    private final String description;

    private final String transactionalDescription;

    private final HaltPoint haltPoint;

    Crash(String description, String transactionalDescription, HaltPoint haltPoint) {
        this.description = description;
        this.transactionalDescription = transactionalDescription;
        this.haltPoint = haltPoint;
    }

    /**
     * Returns the crash as the results table names it.
     * @param transactional whether the app runs in the transactional mode, where nothing commits before the
     * response is recorded
     * @return the description
     */
    String description(boolean transactional) {
        return transactional ? this.transactionalDescription : this.description;
    }

    /**
     * Returns where the app halts itself, {@code null} for a kill from outside.
     * @return the halt point
     */
    HaltPoint haltPoint() {
        return this.haltPoint;
    }

    /**
     * Returns the exit status of the app ended by this crash.
     * @return the status
     */
    int exitStatus() {
        return (this.haltPoint != null) ? FaultInjectionConfiguration.HALT_STATUS : SampleAppProcess.SIGKILL_STATUS;
    }

    /**
     * Returns the arguments that set the app up for this crash.
     * @param chargeLatency how long a charge takes when the app is to be killed during one
     * @return the arguments
     */
    List<String> arguments(String chargeLatency) {
        return (this.haltPoint != null)
                ? List.of(
                        "--" + FaultInjectionConfiguration.PROPERTY + "=" + this.haltPoint,
                        "--" + FaultInjectionConfiguration.KEY_PREFIX_PROPERTY + "=" + KEY_PREFIX)
                : List.of("--sample.gateway.latency=" + chargeLatency);
    }
}
