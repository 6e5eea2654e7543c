package io.github.idempotency;

/**
 * What a claim does when it finds an in-progress record whose lease has expired, which means the request
 * that held it stopped without completing or releasing it (the process crashed or lost the store).
 */
public enum ExpiredLeasePolicy {

    /** The next claim takes the key over and runs the operation again. */
    TAKE_OVER,

    /**
     * The key stays blocked (claims answer in progress) until an operator releases it or the record's time
     * to live passes: for operations whose external side effect must never run twice.
     */
    BLOCK
}
