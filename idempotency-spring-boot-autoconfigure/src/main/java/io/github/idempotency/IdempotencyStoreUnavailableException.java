package io.github.idempotency;

/**
 * Thrown by an {@link Idempotent} bean method that was not run because its key could not be checked or its
 * outcome could not be committed (the store cannot be reached, or is too slow), under
 * {@code idempotency.store.failure-mode=FAIL_CLOSED}. A message listener container retries it later.
 */
public class IdempotencyStoreUnavailableException extends IdempotencyException {

    /**
     * Creates an exception.
     * @param message what was refused
     * @param cause the store's failure, may be {@code null}
     */
    public IdempotencyStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
