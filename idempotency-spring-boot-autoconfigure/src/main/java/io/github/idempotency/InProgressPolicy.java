package io.github.idempotency;

/**
 * What a call to an {@link Idempotent} bean method does when another call with the same key is still
 * running.
 */
public enum InProgressPolicy {

    /**
     * Throw {@link IdempotencyInProgressException} at once: a message listener container then redelivers the
     * message later, by which time the running call has recorded its outcome.
     */
    THROW,

    /**
     * Poll the store with backoff until the running call ends or {@link Idempotent#maxWait()} passes, then
     * return its recorded outcome, run again if it released the key, or throw
     * {@link IdempotencyInProgressException}: for callers that need the answer now.
     */
    WAIT
}
