package com.example.payments.fault;

/**
 * Where {@code sample.fault.halt-at} stops the JVM during {@code POST /payments}. In the idempotency
 * starter's lease mode every write commits as it goes; in its transactional mode
 * ({@code idempotency.jdbc.transactional=true}) nothing commits before the response is recorded, so two of
 * the points mean something else there, as said on each.
 */
public enum HaltPoint {

    /** The idempotency key was claimed (in the transactional mode: claimed, not committed); the handler has not run. */
    BEFORE_HANDLER,

    /**
     * The card was charged and the payment saved; the response is not recorded. In the lease mode the payment
     * is committed; in the transactional mode it was written into the request's transaction, which is still
     * open, so nothing is committed.
     */
    AFTER_PAYMENT_COMMITTED,

    /**
     * The response was recorded (in the transactional mode: the transaction holding the claim, the payment and
     * the record committed) but not yet sent to the client.
     */
    AFTER_RESPONSE_RECORDED
}
