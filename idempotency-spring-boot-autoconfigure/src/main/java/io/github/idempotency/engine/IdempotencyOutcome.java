package io.github.idempotency.engine;

/**
 * What became of one call of an idempotent operation, as metrics and traces tell it: the {@code outcome}
 * tag of the {@code idempotency.operation} observation.
 */
public enum IdempotencyOutcome {

    /** The key was claimed and the operation ran; how it ended is its {@link RecordResult}. */
    EXECUTED("executed"),

    /** The operation had completed before: its recorded outcome was returned without running it. */
    REPLAYED("replayed"),

    /** Another call held the key and was still running (or, under {@code BLOCK}, died holding it). */
    IN_PROGRESS("in_progress"),

    /** The key had been used for a different request or different arguments. */
    KEY_REUSED("key_reused"),

    /** The front door refused the call before claiming anything: its key was missing or invalid. */
    REJECTED("rejected"),

    /** The store could not answer and the call was refused (fail-closed). */
    STORE_UNAVAILABLE("store_unavailable"),

    /** The store could not answer and the operation ran without protection (fail-open). */
    FAIL_OPEN("fail_open");

    private final String tagValue;

    IdempotencyOutcome(String tagValue) {
        this.tagValue = tagValue;
    }

    /**
     * Returns the value of the {@code outcome} tag.
     * @return the tag value, such as {@code key_reused}
     */
    public String tagValue() {
        return this.tagValue;
    }
}
