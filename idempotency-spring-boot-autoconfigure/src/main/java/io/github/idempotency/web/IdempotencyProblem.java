package io.github.idempotency.web;

/**
 * The errors an idempotent endpoint answers with, each an RFC 9457 problem type with a stable URI.
 */
public enum IdempotencyProblem {

    /** The endpoint requires a key and the request carried none. */
    MISSING_KEY("missing-key", "Idempotency key missing", 400),

    /** The key is empty, blank, too long, has control characters, or was sent more than once. */
    INVALID_KEY("invalid-key", "Idempotency key invalid", 400),

    /** The key was already used for a different request. */
    KEY_REUSED("key-reused", "Idempotency key reused for a different request", 422),

    /** A request with the same key is still running. */
    IN_PROGRESS("in-progress", "Request with this idempotency key in progress", 409),

    /** The idempotency store cannot be reached, so the request is not run. */
    STORE_UNAVAILABLE("store-unavailable", "Idempotency store unavailable", 503),

    /** The request body is larger than an idempotent endpoint buffers. */
    REQUEST_TOO_LARGE("request-too-large", "Request body too large for an idempotent request", 413),

    /**
     * The original response was too large to record; the answer carries its status code.
     */
    RESPONSE_NOT_REPLAYABLE("response-not-replayable", "Response too large to replay", 0);

    private static final String TYPE_PREFIX = "https://idempotency-spring-boot-starter.github.io/problems/";

    private final String type;

    private final String title;

    private final int status;

    IdempotencyProblem(String slug, String title, int status) {
        this.type = TYPE_PREFIX + slug;
        this.title = title;
        this.status = status;
    }

    /**
     * Returns the problem type URI, stable across versions.
     * @return the {@code type} member
     */
    public String getType() {
        return this.type;
    }

    /**
     * Returns the short, human-readable summary of the problem type.
     * @return the {@code title} member
     */
    public String getTitle() {
        return this.title;
    }

    /**
     * Returns the HTTP status of the answer, or 0 when it is the recorded response's.
     * @return the status code
     */
    public int getStatus() {
        return this.status;
    }
}
