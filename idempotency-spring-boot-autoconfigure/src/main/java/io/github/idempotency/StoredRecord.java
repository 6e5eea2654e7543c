package io.github.idempotency;

import java.time.Instant;
import org.springframework.util.Assert;

/**
 * What a store holds at one {@link IdempotencyKey}, as {@link IdempotencyStore#find} reports it to an
 * operator: its state, its times, and for a completed record the recorded response.
 *
 * @param state whether the operation is still running or completed
 * @param createdAt when the key was claimed, {@code null} when the store does not keep it
 * @param leaseExpiresAt for an in-progress record, when its lease ends (in the past for a claim whose
 * request stopped without finishing); {@code null} for a completed record
 * @param expiresAt for a completed record, when its response stops being replayed; {@code null} for an
 * in-progress record
 * @param response for a completed record, the recorded response; {@code null} for an in-progress record
 */
public record StoredRecord(
        State state, Instant createdAt, Instant leaseExpiresAt, Instant expiresAt, StoredResponse response) {

    /**
     * Creates a record, rejecting times and a response that do not fit its state.
     */
    public StoredRecord {
        Assert.notNull(state, "'state' must not be null");
        if (state == State.IN_PROGRESS) {
            Assert.notNull(leaseExpiresAt, "'leaseExpiresAt' must not be null for an in-progress record");
            Assert.isTrue(expiresAt == null && response == null, "An in-progress record has no expiry or response");
        } else {
            Assert.isTrue(expiresAt != null && response != null, "A completed record has an expiry and a response");
            Assert.isNull(leaseExpiresAt, "A completed record has no lease");
        }
    }

    /**
     * Creates an in-progress record.
     * @param createdAt when the key was claimed, {@code null} when unknown
     * @param leaseExpiresAt when its lease ends
     * @return the record
     */
    public static StoredRecord inProgress(Instant createdAt, Instant leaseExpiresAt) {
        return new StoredRecord(State.IN_PROGRESS, createdAt, leaseExpiresAt, null, null);
    }

    /**
     * Creates a completed record.
     * @param createdAt when the key was claimed, {@code null} when unknown
     * @param expiresAt when its response stops being replayed
     * @param response the recorded response
     * @return the record
     */
    public static StoredRecord completed(Instant createdAt, Instant expiresAt, StoredResponse response) {
        return new StoredRecord(State.COMPLETED, createdAt, null, expiresAt, response);
    }

    /**
     * The state of a record.
     */
    public enum State {

        /** Claimed by a call that has not completed it yet, or stopped without completing or releasing it. */
        IN_PROGRESS,

        /** Holds the recorded outcome that retries get back. */
        COMPLETED
    }
}
