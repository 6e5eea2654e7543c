package io.github.idempotency;

/**
 * The names of the HTTP headers that the starter reads and writes by default, shared by the server's front door,
 * its OpenAPI description and the {@code RestClient} companion.
 */
public final class IdempotencyHeaders {

    /** The request header that carries the client's key, unless {@code idempotency.header-name} names another. */
    public static final String KEY = "Idempotency-Key";

    /** The response header, {@code true}, that marks an answer replayed from a stored outcome. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private IdempotencyHeaders() {}
}
