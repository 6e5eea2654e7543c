package io.github.idempotency.engine;

/**
 * How an executed call of an idempotent operation ended in the store: the {@code record} tag of the
 * {@code idempotency.operation} observation. {@link #RECORD_FAILED} and {@link #RELEASE_FAILED} need an
 * operator, and are also counted by {@code idempotency.record.failures}.
 */
public enum RecordResult {

    /** The call did not run the operation under a claim (it was replayed, refused or unprotected). */
    NONE("none", false),

    /** The outcome was recorded: retries replay it. */
    RECORDED("recorded", false),

    /** The outcome was not to be recorded (a failure): the key was released, or its transaction rolled back. */
    RELEASED("released", false),

    /** The claim's lease had expired and another call took the key over: nothing was written. */
    CLAIM_LOST("claim_lost", false),

    /**
     * The outcome could not be recorded because the store failed (or the transaction holding it could not
     * commit): with a lease, the key stays in progress until the lease expires, and then runs again.
     */
    RECORD_FAILED("record_failed", true),

    /** The key could not be released because the store failed: retries are refused until the lease expires. */
    RELEASE_FAILED("release_failed", true);

    private final String tagValue;

    private final boolean failure;

    RecordResult(String tagValue, boolean failure) {
        this.tagValue = tagValue;
        this.failure = failure;
    }

    /**
     * Returns the value of the {@code record} tag.
     * @return the tag value, such as {@code record_failed}
     */
    public String tagValue() {
        return this.tagValue;
    }

    /**
     * Returns whether the store failed to take the call's end, so that an operator must act.
     * @return whether this is a failure to record or to release
     */
    public boolean isFailure() {
        return this.failure;
    }
}
