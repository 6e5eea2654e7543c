package io.github.idempotency.client;

import java.io.IOException;
import java.time.Duration;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOff;

/**
 * Retries a logical call on I/O errors (a timeout, a reset connection) and on answers worth retrying, for
 * at most the total time allowed, with the backoff of that call.
 */
final class IdempotentRetryPolicy implements RetryPolicy {

    private final Duration timeout;

    private final BackOff backOff;

    IdempotentRetryPolicy(Duration timeout, BackOff backOff) {
        this.timeout = timeout;
        this.backOff = backOff;
    }

    @Override
    public boolean shouldRetry(Throwable failure) {
        return failure instanceof IOException || failure instanceof RetryableAnswerException;
    }

    @Override
    public Duration getTimeout() {
        return this.timeout;
    }

    @Override
    public BackOff getBackOff() {
        return this.backOff;
    }
}
