package io.github.idempotency.web;

/**
 * How an idempotent handler's request ended, as the {@link IdempotencyRecordPolicy} sees it.
 *
 * @param status the response status
 * @param exception the exception the handler (or its argument resolution) threw and an exception handler
 * turned into the response, or {@code null} if it returned normally
 */
public record HandlerOutcome(int status, Throwable exception) {}
