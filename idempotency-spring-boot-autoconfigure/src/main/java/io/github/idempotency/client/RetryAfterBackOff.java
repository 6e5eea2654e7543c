package io.github.idempotency.client;

import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Waits as long as the last answer's {@code Retry-After} asks (up to the longest honoured), else backs off
 * exponentially with jitter; stops after the last attempt allowed.
 */
final class RetryAfterBackOff implements BackOff {

    private final IdempotentRetrySettings settings;

    private final Supplier<Duration> retryAfter;

    /**
     * Creates the backoff of one logical call.
     * @param settings the bounds and the exponential backoff
     * @param retryAfter the wait the last answer asked for, or {@code null} when it named none or the last
     * attempt failed without an answer
     */
    RetryAfterBackOff(IdempotentRetrySettings settings, Supplier<Duration> retryAfter) {
        this.settings = settings;
        this.retryAfter = retryAfter;
    }

    @Override
    public BackOffExecution start() {
        ExponentialBackOff exponential =
                new ExponentialBackOff(this.settings.initialBackoff().toMillis(), this.settings.multiplier());
        exponential.setMaxInterval(this.settings.maxBackoff().toMillis());
        exponential.setJitter(this.settings.jitter().toMillis());
        return new Execution(exponential.start());
    }

    private final class Execution implements BackOffExecution {

        private final BackOffExecution exponential;

        private int attempts = 1;

        Execution(BackOffExecution exponential) {
            this.exponential = exponential;
        }

        @Override
        public long nextBackOff() {
            if (this.attempts >= RetryAfterBackOff.this.settings.maxAttempts()) {
                return STOP;
            }
            this.attempts++;
            Duration asked = RetryAfterBackOff.this.retryAfter.get();
            if (asked == null) {
                return this.exponential.nextBackOff();
            }
            Duration longest = RetryAfterBackOff.this.settings.maxRetryAfter();
            return ((asked.compareTo(longest) > 0) ? longest : asked).toMillis();
        }
    }
}
