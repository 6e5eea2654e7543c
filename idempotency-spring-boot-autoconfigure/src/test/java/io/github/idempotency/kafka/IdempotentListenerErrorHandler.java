package io.github.idempotency.kafka;

import io.github.idempotency.IdempotencyInProgressException;
import io.github.idempotency.IdempotencyKeyReusedException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The listener containers' error handler that docs/consumers.md recommends for {@code @Idempotent} listeners:
 * an event whose key another consumer still holds is redelivered, with backoff, for as long as that takes
 * (until the other call records its outcome, or its lease expires after a crash); an event without a key, or
 * whose key was used for another event, is not retried, since a retry cannot succeed.
 */
final class IdempotentListenerErrorHandler {

    private IdempotentListenerErrorHandler() {}

    /**
     * Creates the error handler.
     * @return the error handler, to be declared as a bean
     */
    static DefaultErrorHandler create() {
        DefaultErrorHandler handler = new DefaultErrorHandler(new FixedBackOff(100, 2));
        ExponentialBackOff whileInProgress = new ExponentialBackOff(100, 2);
        whileInProgress.setMaxInterval(1000);
        handler.setBackOffFunction((record, exception) ->
                (NestedExceptionUtils.getMostSpecificCause(exception) instanceof IdempotencyInProgressException)
                        ? whileInProgress
                        : null);
        handler.addNotRetryableExceptions(IllegalArgumentException.class, IdempotencyKeyReusedException.class);
        return handler;
    }
}
