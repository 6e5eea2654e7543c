package io.github.idempotency;

/**
 * Base of the unchecked exceptions an {@link Idempotent} bean method throws instead of running, so that a
 * caller can handle all of them in one place.
 */
public abstract class IdempotencyException extends RuntimeException {

    /**
     * Creates an exception with a message.
     * @param message what was refused
     */
    protected IdempotencyException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     * @param message what was refused
     * @param cause what made it fail, may be {@code null}
     */
    protected IdempotencyException(String message, Throwable cause) {
        super(message, cause);
    }
}
