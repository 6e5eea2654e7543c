package io.github.idempotency.aop;

import java.time.Duration;
import org.springframework.util.Assert;

/**
 * The application-wide settings of idempotent bean methods; {@code @Idempotent} attributes override them per
 * method.
 *
 * @param ttl how long a recorded outcome is kept
 * @param lease how long a claim blocks other calls before it can be taken over, and how long a call waits
 * under {@link io.github.idempotency.InProgressPolicy#WAIT} unless its annotation says otherwise
 */
public record IdempotentMethodSettings(Duration ttl, Duration lease) {

    /**
     * Creates settings, rejecting durations that are not positive.
     */
    public IdempotentMethodSettings {
        Assert.isTrue(ttl != null && !ttl.isNegative() && !ttl.isZero(), "'ttl' must be positive");
        Assert.isTrue(lease != null && !lease.isNegative() && !lease.isZero(), "'lease' must be positive");
    }
}
