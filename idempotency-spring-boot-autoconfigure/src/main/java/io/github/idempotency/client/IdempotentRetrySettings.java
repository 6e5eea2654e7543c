package io.github.idempotency.client;

import io.github.idempotency.IdempotencyHeaders;
import java.time.Duration;
import org.springframework.util.Assert;

/**
 * How {@link IdempotentRequestInterceptor} keys and retries unsafe requests.
 *
 * @param headerName the request header carrying the key, such as {@code Idempotency-Key}
 * @param maxAttempts the most attempts of one logical call, the first included; {@code 1} never retries
 * @param initialBackoff the wait before the first retry when the answer named none ({@code Retry-After})
 * @param multiplier the factor each later wait grows by, at least 1
 * @param maxBackoff the longest wait that the exponential backoff grows to
 * @param jitter the largest random extra on the first wait, scaled up with later ones; zero for none
 * @param maxTotalTime the longest one logical call retries for: a wait that would end past it ends the retries
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one is shortened to this
 */
public record IdempotentRetrySettings(
        String headerName,
        int maxAttempts,
        Duration initialBackoff,
        double multiplier,
        Duration maxBackoff,
        Duration jitter,
        Duration maxTotalTime,
        Duration maxRetryAfter) {

    /** The header of the IETF draft and of the server side of this starter. */
    public static final String DEFAULT_HEADER_NAME = IdempotencyHeaders.KEY;

    /**
     * Creates settings, rejecting values no retry can work with.
     */
    public IdempotentRetrySettings {
        Assert.hasText(headerName, "'headerName' must not be empty");
        Assert.isTrue(maxAttempts > 0, "'maxAttempts' must be positive");
        Assert.isTrue(isPositive(initialBackoff), "'initialBackoff' must be positive");
        Assert.isTrue(multiplier >= 1, "'multiplier' must be at least 1");
        Assert.isTrue(
                maxBackoff != null && maxBackoff.compareTo(initialBackoff) >= 0,
                "'maxBackoff' must not be shorter than 'initialBackoff'");
        Assert.isTrue(jitter != null && !jitter.isNegative(), "'jitter' must not be negative");
        Assert.isTrue(isPositive(maxTotalTime), "'maxTotalTime' must be positive");
        Assert.isTrue(maxRetryAfter != null && !maxRetryAfter.isNegative(), "'maxRetryAfter' must not be negative");
    }

    /**
     * Returns the defaults: {@code Idempotency-Key}, 5 attempts, backoff from 500 ms doubling up to 10 s
     * with up to 250 ms of jitter, at most 30 s in all, and {@code Retry-After} honoured up to 10 s.
     * @return the default settings
     */
    public static IdempotentRetrySettings defaults() {
        return new IdempotentRetrySettings(
                DEFAULT_HEADER_NAME,
                5,
                Duration.ofMillis(500),
                2.0,
                Duration.ofSeconds(10),
                Duration.ofMillis(250),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10));
    }

    private static boolean isPositive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }
}
