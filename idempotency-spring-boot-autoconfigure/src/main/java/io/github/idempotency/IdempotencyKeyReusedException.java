package io.github.idempotency;

/**
 * Thrown by an {@link Idempotent} bean method called with a key that was already used with a different
 * {@link Idempotent#fingerprint() fingerprint}: the same key names two different operations.
 */
public class IdempotencyKeyReusedException extends IdempotencyException {

    /**
     * Creates an exception.
     * @param message what was refused
     */
    public IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
