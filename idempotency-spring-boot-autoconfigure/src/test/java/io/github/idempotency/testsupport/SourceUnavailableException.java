package io.github.idempotency.testsupport;

/**
 * Thrown by a {@link ServiceSource} that provides nothing, with the reason in its message, so that a test that
 * finds no service at all can say what it tried.
 */
public class SourceUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     * @param reason why the source provides nothing, as a phrase that follows the source's name
     */
    public SourceUnavailableException(String reason) {
        super(reason);
    }

    /**
     * Creates the exception with its cause.
     * @param reason why the source provides nothing, as a phrase that follows the source's name
     * @param cause what failed
     */
    public SourceUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
