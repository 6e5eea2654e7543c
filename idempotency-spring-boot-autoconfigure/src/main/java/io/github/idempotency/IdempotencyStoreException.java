package io.github.idempotency;

/**
 * Thrown by an {@link IdempotencyStore} that cannot answer: the store is unreachable, too slow, full, or
 * answered something it cannot understand. The web layer turns it into {@code 503 Service Unavailable}.
 */
public class IdempotencyStoreException extends RuntimeException {

    /**
     * Creates an exception with a message and the failure that caused it.
     * @param message what the store was doing
     * @param cause the underlying failure, may be {@code null}
     */
    public IdempotencyStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates an exception with a message.
     * @param message what went wrong
     */
    public IdempotencyStoreException(String message) {
        super(message);
    }
}
