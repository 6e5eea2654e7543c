package com.example.payments.crash;

import java.time.Duration;

/**
 * What the idempotency store holds for a key right after the crash.
 *
 * @param state the record's state
 * @param leaseRemaining how long the lease of an in-progress record still runs, zero otherwise
 */
record RecordState(State state, Duration leaseRemaining) {

    static final RecordState NONE = new RecordState(State.NONE, Duration.ZERO);

    static final RecordState COMPLETED = new RecordState(State.COMPLETED, Duration.ZERO);

    static final RecordState GONE_WITH_THE_JVM = new RecordState(State.GONE_WITH_THE_JVM, Duration.ZERO);

    static RecordState inProgress(Duration leaseRemaining) {
        return new RecordState(State.IN_PROGRESS, leaseRemaining.isNegative() ? Duration.ZERO : leaseRemaining);
    }

    @Override
    public String toString() {
        return switch (this.state) {
            case NONE -> "none";
            case IN_PROGRESS -> "in progress, %.1f s of lease left".formatted(this.leaseRemaining.toMillis() / 1000.0);
            case COMPLETED -> "completed";
            case GONE_WITH_THE_JVM -> "gone with the JVM";
        };
    }

    /**
     * The states of a record.
     */
    enum State {
        /** No record: never written, or rolled back. */
        NONE,
        /** A claim whose owner is gone. */
        IN_PROGRESS,
        /** The recorded response. */
        COMPLETED,
        /** The store lived in the killed JVM. */
        GONE_WITH_THE_JVM
    }
}
