package io.github.idempotency;

/**
 * Where the idempotency key of an {@link Idempotent} method comes from.
 */
public enum KeySource {

    /**
     * The {@link Idempotent#key()} expression when there is one; otherwise, on an MVC handler, the
     * {@code Idempotency-Key} request header ({@code idempotency.header-name}).
     */
    AUTO,

    /**
     * On an MVC handler, the request itself: the key is the request's fingerprint, a SHA-256 digest of its
     * method, path, query string, content type and body, so the server derives it without the client's help.
     * Two identical requests within the time to live are then one operation, even when the client meant two
     * (two equal orders placed on purpose): use it only where an identical request can only be a retry, such
     * as a webhook delivery that carries no id. Cannot be combined with {@link Idempotent#key()}.
     */
    PAYLOAD
}
