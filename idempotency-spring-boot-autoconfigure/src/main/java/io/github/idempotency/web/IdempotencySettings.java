package io.github.idempotency.web;

import io.github.idempotency.IdempotencyScope;
import java.time.Duration;
import org.springframework.util.Assert;

/**
 * The application-wide settings of idempotent endpoints; {@code @Idempotent} attributes override some of
 * them per method.
 *
 * @param headerName the request header carrying the key
 * @param ttl how long a completed response is replayed
 * @param lease how long a claim blocks others before it can be taken over
 * @param scope what keys are scoped to, never {@link IdempotencyScope#DEFAULT}
 * @param maxKeyLength the longest key accepted
 * @param maxRequestSize the largest request body buffered, in bytes
 * @param maxResponseSize the largest response body recorded, in bytes
 * @param failOpen whether a request runs unprotected when the store cannot be reached
 */
public record IdempotencySettings(
        String headerName,
        Duration ttl,
        Duration lease,
        IdempotencyScope scope,
        int maxKeyLength,
        long maxRequestSize,
        long maxResponseSize,
        boolean failOpen) {

    /**
     * Creates settings, rejecting values no endpoint can work with.
     */
    public IdempotencySettings {
        Assert.hasText(headerName, "'headerName' must not be empty");
        Assert.isTrue(ttl != null && !ttl.isNegative() && !ttl.isZero(), "'ttl' must be positive");
        Assert.isTrue(lease != null && !lease.isNegative() && !lease.isZero(), "'lease' must be positive");
        Assert.isTrue(scope != null && scope != IdempotencyScope.DEFAULT, "'scope' must be a concrete scope");
        Assert.isTrue(maxKeyLength > 0, "'maxKeyLength' must be positive");
        Assert.isTrue(
                maxRequestSize > 0 && maxRequestSize < Integer.MAX_VALUE - 8,
                "'maxRequestSize' must be positive and below 2 GB");
        Assert.isTrue(
                maxResponseSize > 0 && maxResponseSize < Integer.MAX_VALUE - 8,
                "'maxResponseSize' must be positive and below 2 GB");
    }
}
