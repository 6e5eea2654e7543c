package com.example.payments.fault;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Stops the JVM at once, the way a kill -9, an out-of-memory kill or a lost node would: no shutdown hooks,
 * no connection closed politely, no transaction rolled back by the application.
 */
final class JvmHalter {

    private static final Log logger = LogFactory.getLog(JvmHalter.class);

    private JvmHalter() {}

    static void halt(HaltPoint point, String detail) {
        // The line is the only trace the crash tests can read afterwards, so it is written before the halt.
        logger.warn("Fault injection: halting the JVM at " + point + " (" + detail + ") with status "
                + FaultInjectionConfiguration.HALT_STATUS);
        Runtime.getRuntime().halt(FaultInjectionConfiguration.HALT_STATUS);
    }
}
