package io.github.idempotency.web;

/**
 * Decides whether a handler's response is recorded (and replayed to retries) or the key is released so a
 * retry runs the handler again. Declare a bean of this type to replace
 * {@link DefaultIdempotencyRecordPolicy}.
 */
@FunctionalInterface
public interface IdempotencyRecordPolicy {

    /**
     * Decides the fate of a response.
     * @param outcome how the request ended
     * @return {@code true} to record the response, {@code false} to release the key
     */
    boolean shouldRecord(HandlerOutcome outcome);
}
