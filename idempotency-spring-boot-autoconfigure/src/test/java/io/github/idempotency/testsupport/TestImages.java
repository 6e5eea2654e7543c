package io.github.idempotency.testsupport;

/**
 * Container images of the services the integration tests run against where no service is given: the one
 * place their versions are pinned.
 */
public final class TestImages {

    /** PostgreSQL, for the JDBC store. */
    public static final String POSTGRES = "postgres:17-alpine";

    /** Redis, for the Redis store. */
    public static final String REDIS = "redis:7.4-alpine";

    private TestImages() {}
}
