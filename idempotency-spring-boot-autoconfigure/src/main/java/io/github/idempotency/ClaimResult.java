package io.github.idempotency;

import java.time.Duration;
import org.springframework.util.Assert;

/**
 * The outcome of {@link IdempotencyStore#claim}: exactly one of {@link Claimed}, {@link InProgress},
 * {@link Completed} or {@link Mismatch}.
 */
public sealed interface ClaimResult
        permits ClaimResult.Claimed, ClaimResult.InProgress, ClaimResult.Completed, ClaimResult.Mismatch {

    /**
     * The caller now owns the key and must run the operation, then complete or release the claim.
     *
     * @param token proof of ownership for the writes that follow
     * @param takenOver whether the claim took over an expired lease of an earlier request
     */
    record Claimed(ClaimToken token, boolean takenOver) implements ClaimResult {

        /**
         * Creates the result, rejecting a missing token.
         */
        public Claimed {
            Assert.notNull(token, "'token' must not be null");
        }
    }

    /**
     * Another request holds a live claim on the key (or an expired one under
     * {@link ExpiredLeasePolicy#BLOCK}).
     *
     * @param leaseRemaining how long until the lease expires, zero or more
     * @param held how long the claim has been held: the time since the claiming request took the key
     * (renewing the lease does not reset it), zero or more; zero when the store cannot tell
     */
    record InProgress(Duration leaseRemaining, Duration held) implements ClaimResult {

        /**
         * Creates the result, rejecting negative or missing durations.
         */
        public InProgress {
            Assert.isTrue(
                    leaseRemaining != null && !leaseRemaining.isNegative(), "'leaseRemaining' must be zero or more");
            Assert.isTrue(held != null && !held.isNegative(), "'held' must be zero or more");
        }

        /**
         * Creates the result of a store that cannot tell how long the claim has been held.
         * @param leaseRemaining how long until the lease expires, zero or more
         */
        public InProgress(Duration leaseRemaining) {
            this(leaseRemaining, Duration.ZERO);
        }
    }

    /**
     * The operation already completed; its recorded response is to be replayed.
     *
     * @param response the recorded response
     */
    record Completed(StoredResponse response) implements ClaimResult {

        /**
         * Creates the result, rejecting a missing response.
         */
        public Completed {
            Assert.notNull(response, "'response' must not be null");
        }
    }

    /**
     * The key is in use for a different request: its fingerprint differs from the one presented.
     */
    record Mismatch() implements ClaimResult {}
}
