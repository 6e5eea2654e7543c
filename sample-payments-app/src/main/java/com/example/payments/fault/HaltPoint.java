package com.example.payments.fault;

/**
 * Where {@code sample.fault.halt-at} stops the JVM: during {@code POST /payments}, or in the ledger's
 * consumption of a payment event. In the idempotency starter's lease mode every write of a request commits
 * as it goes; in its transactional mode ({@code idempotency.jdbc.transactional=true}) nothing commits before
 * the response is recorded, so two of the request's points mean something else there, as said on each.
 */
public enum HaltPoint {

    /** The idempotency key was claimed (in the transactional mode: claimed, not committed); the handler has not run. */
    BEFORE_HANDLER,

    /**
     * The card was charged and the payment saved with its event; the response is not recorded. In the lease
     * mode the payment is committed; in the transactional mode it was written into the request's transaction,
     * which is still open, so nothing is committed.
     */
    AFTER_PAYMENT_COMMITTED,

    /**
     * The response was recorded (in the transactional mode: the transaction holding the claim, the payment and
     * the record committed) but not yet sent to the client.
     */
    AFTER_RESPONSE_RECORDED,

    /**
     * The ledger consumed a payment event (the entry, the balance and the idempotency record are committed)
     * and the relay has not marked the event delivered yet: the next start delivers it again.
     */
    AFTER_EVENT_CONSUMED
}
