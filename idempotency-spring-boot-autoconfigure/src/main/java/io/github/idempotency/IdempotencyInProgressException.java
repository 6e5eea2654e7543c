package io.github.idempotency;

import java.time.Duration;

/**
 * Thrown by an {@link Idempotent} bean method called with a key that another call still holds: the running
 * call's outcome is not recorded yet. A message listener container that sees it redelivers the message
 * later.
 */
public class IdempotencyInProgressException extends IdempotencyException {

    private final Duration retryAfter;

    /**
     * Creates an exception.
     * @param message what was refused
     * @param retryAfter when a retry is likely to find the running call's outcome
     */
    public IdempotencyInProgressException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /**
     * Returns when a retry is likely to find the running call's outcome.
     * @return the estimated wait, at least a second
     */
    public Duration getRetryAfter() {
        return this.retryAfter;
    }
}
