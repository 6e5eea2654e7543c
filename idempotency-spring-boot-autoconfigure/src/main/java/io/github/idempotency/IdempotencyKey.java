package io.github.idempotency;

import org.springframework.util.Assert;

/**
 * The address of a stored record: the client's key within a scope.
 *
 * @param scope what the key is scoped to (caller, endpoint, both or neither), never {@code null}, may be
 * empty for the global scope
 * @param key the client's idempotency key, never empty
 */
public record IdempotencyKey(String scope, String key) {

    /** The longest key, in characters, that the stores' key columns hold. */
    public static final int MAX_LENGTH = 1024;

    /**
     * Creates a key, rejecting a missing scope or an empty key.
     */
    public IdempotencyKey {
        Assert.notNull(scope, "'scope' must not be null");
        Assert.hasLength(key, "'key' must not be empty");
    }
}
