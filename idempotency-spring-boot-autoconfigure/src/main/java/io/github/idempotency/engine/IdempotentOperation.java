package io.github.idempotency.engine;

import io.github.idempotency.IdempotencyKey;
import java.time.Duration;
import org.springframework.util.Assert;

/**
 * One call of an idempotent operation, as the engine sees it: where its record lives, what it is for, how
 * long its outcome is kept and how it is made durable.
 *
 * @param name the operation's low-cardinality name, such as {@code POST /payments} or
 * {@code LedgerConsumer#onPaymentSucceeded}: for logs, metrics and statistics, never a key or a user
 * @param key the record's address
 * @param fingerprint digest of the request or arguments the key is used for
 * @param ttl how long a completed outcome is kept
 * @param transactional whether the claim, the operation's own writes and the recorded outcome must commit
 * together in a transaction the engine begins (or joins, when one is already active)
 */
public record IdempotentOperation(
        String name, IdempotencyKey key, String fingerprint, Duration ttl, boolean transactional) {

    /**
     * Creates an operation, rejecting missing parts and a time to live that is not positive.
     */
    public IdempotentOperation {
        Assert.hasText(name, "'name' must not be empty");
        Assert.notNull(key, "'key' must not be null");
        Assert.hasText(fingerprint, "'fingerprint' must not be empty");
        Assert.isTrue(ttl != null && !ttl.isNegative() && !ttl.isZero(), "'ttl' must be positive");
    }
}
