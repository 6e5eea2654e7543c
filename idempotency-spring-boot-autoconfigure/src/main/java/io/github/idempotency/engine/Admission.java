package io.github.idempotency.engine;

import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import java.time.Duration;
import org.springframework.util.Assert;

/**
 * What the engine decided about one call of an idempotent operation, for a front door to act on: run it
 * ({@link Proceed} or, without protection, {@link Unprotected}), answer with its recorded outcome
 * ({@link Replay}), or refuse it ({@link InProgress}, {@link KeyReused}, {@link StoreUnavailable}).
 */
public sealed interface Admission
        permits Admission.Proceed,
                Admission.Replay,
                Admission.InProgress,
                Admission.KeyReused,
                Admission.StoreUnavailable,
                Admission.Unprotected {

    /**
     * The key is claimed: run the operation, then end the execution exactly once, by
     * {@link Execution#complete} or {@link Execution#abandon}.
     *
     * @param execution the claim to end
     */
    record Proceed(Execution execution) implements Admission {

        /**
         * Creates the admission, rejecting a missing execution.
         */
        public Proceed {
            Assert.notNull(execution, "'execution' must not be null");
        }
    }

    /**
     * The operation already completed: answer with its recorded outcome, without running it.
     *
     * @param response the recorded outcome
     */
    record Replay(StoredResponse response) implements Admission {

        /**
         * Creates the admission, rejecting a missing response.
         */
        public Replay {
            Assert.notNull(response, "'response' must not be null");
        }
    }

    /**
     * Another call holds the key and is still running (or, under {@code BLOCK}, died holding it).
     *
     * @param retryAfter when a retry is likely to find the outcome: at least a second, never beyond the lease
     */
    record InProgress(Duration retryAfter) implements Admission {

        /**
         * Creates the admission, rejecting a missing or negative duration.
         */
        public InProgress {
            Assert.isTrue(retryAfter != null && !retryAfter.isNegative(), "'retryAfter' must be zero or more");
        }
    }

    /**
     * The key was used for a different request or different arguments (the fingerprints differ).
     */
    record KeyReused() implements Admission {}

    /**
     * The store cannot answer and the failure mode is fail-closed: do not run the operation.
     *
     * @param cause the store's failure
     */
    record StoreUnavailable(IdempotencyStoreException cause) implements Admission {}

    /**
     * The store cannot answer and the failure mode is fail-open: run the operation without protection.
     *
     * @param cause the store's failure
     */
    record Unprotected(IdempotencyStoreException cause) implements Admission {}
}
