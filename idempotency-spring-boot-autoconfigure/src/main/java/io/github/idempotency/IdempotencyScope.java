package io.github.idempotency;

/**
 * What an idempotency key is scoped to. The stored record is addressed by the scope and the key together,
 * so the same key in two scopes names two operations.
 */
public enum IdempotencyScope {

    /**
     * Use the application's configured scope ({@code idempotency.scope}); only meaningful on
     * {@link Idempotent#scope()}.
     */
    DEFAULT,

    /** The authenticated caller (or {@code anonymous}), the HTTP method and the request path. */
    USER_AND_ENDPOINT,

    /** The authenticated caller (or {@code anonymous}): one key names one operation across endpoints. */
    USER,

    /** The HTTP method and the request path: callers share the key space of an endpoint. */
    ENDPOINT,

    /** One key space for the whole application. */
    GLOBAL
}
