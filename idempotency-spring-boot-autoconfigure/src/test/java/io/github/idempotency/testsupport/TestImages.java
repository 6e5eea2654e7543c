package io.github.idempotency.testsupport;

/**
 * The container images tests start when no service is configured: the one place they are pinned.
 */
public final class TestImages {

    /** PostgreSQL, for the JDBC store's integration tests. */
    public static final String POSTGRES = "postgres:17-alpine";

    /** Redis, for the Redis store's integration tests. */
    public static final String REDIS = "redis:7.4-alpine";

    private TestImages() {}
}
