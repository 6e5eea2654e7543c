package io.github.idempotency.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * The order in which {@link RedisTestServer} tries its sources, with sources of the test's own that answer or
 * not as told, and record that they were asked; and the URL it gives clients configured by URL.
 */
class RedisTestServerTests {

    private static final RedisStandaloneConfiguration LOCAL = server("127.0.0.1", 6379, 11);

    private static final RedisStandaloneConfiguration CONTAINER = server("localhost", 32768, 0);

    private static final RedisStandaloneConfiguration PROCESS = server("127.0.0.1", 40001, 0);

    private final RecordingSources sources = new RecordingSources();

    @Test
    void resolveWhenUrlVariableIsSetThenUsesItWithoutAskingAnyOtherSource() {
        RedisConfiguration configuration = RedisTestServer.resolve(
                Map.of(RedisTestServer.URL_VARIABLE, "redis://redis.example:6380/3"),
                this.sources.answering("local", LOCAL),
                this.sources.answering("container", CONTAINER),
                this.sources.answering("process", PROCESS));

        assertThat(configuration).isInstanceOfSatisfying(RedisStandaloneConfiguration.class, server -> {
            assertThat(server.getHostName()).isEqualTo("redis.example");
            assertThat(server.getPort()).isEqualTo(6380);
            assertThat(server.getDatabase()).isEqualTo(3);
        });
        assertThat(this.sources.asked()).isEmpty();
    }

    @Test
    void resolveWhenNoVariableIsSetThenTriesTheLocalServerFirst() {
        RedisConfiguration configuration = RedisTestServer.resolve(
                Map.of(),
                this.sources.answering("local", LOCAL),
                this.sources.answering("container", CONTAINER),
                this.sources.answering("process", PROCESS));

        assertThat(configuration).isSameAs(LOCAL);
        assertThat(this.sources.asked()).containsExactly("local");
    }

    @Test
    void resolveWhenNoLocalServerAnswersThenStartsAContainer() {
        RedisConfiguration configuration = RedisTestServer.resolve(
                Map.of(),
                this.sources.absent("local", "nothing answered"),
                this.sources.answering("container", CONTAINER),
                this.sources.answering("process", PROCESS));

        assertThat(configuration).isSameAs(CONTAINER);
        assertThat(this.sources.asked()).containsExactly("local", "container");
    }

    @Test
    void resolveWhenNeitherLocalServerNorDockerThenStartsAServerProcess() {
        RedisConfiguration configuration = RedisTestServer.resolve(
                Map.of(),
                this.sources.absent("local", "nothing answered"),
                this.sources.absent("container", "no Docker engine found"),
                this.sources.answering("process", PROCESS));

        assertThat(configuration).isSameAs(PROCESS);
        assertThat(this.sources.asked()).containsExactly("local", "container", "process");
    }

    @Test
    void resolveWhenLocalSourceIsSwitchedOffThenDoesNotAskTheLocalServer() {
        RedisConfiguration configuration = RedisTestServer.resolve(
                Map.of(RedisTestServer.LOCAL_VARIABLE, "false"),
                this.sources.answering("local", LOCAL),
                this.sources.answering("container", CONTAINER),
                this.sources.answering("process", PROCESS));

        assertThat(configuration).isSameAs(CONTAINER);
        assertThat(this.sources.asked()).containsExactly("container");
    }

    @Test
    void resolveWhenNoSourceProvidesAServerThenFailsNamingEachSourceAndWhy() {
        assertThatIllegalStateException()
                .isThrownBy(() -> RedisTestServer.resolve(
                        Map.of(),
                        this.sources.absent("local", "answered, but wants a password"),
                        this.sources.absent("container", "no Docker engine found"),
                        this.sources.absent("process", "Cannot run 'redis-server'")))
                .withMessageContaining("These tests need Redis and found none. Tried, in order:\n"
                        + "  - IDEMPOTENCY_TEST_REDIS_URL: not set\n"
                        + "  - local server on 127.0.0.1:6379 (database 11): answered, but wants a password\n"
                        + "  - Testcontainers (" + TestImages.REDIS + "): no Docker engine found\n"
                        + "  - redis-server on the PATH, started by the tests: Cannot run 'redis-server'\n"
                        + "Set IDEMPOTENCY_TEST_REDIS_URL");
        assertThat(this.sources.asked()).containsExactly("local", "container", "process");
    }

    @Test
    void urlWhenServerHasNoPasswordThenNamesHostPortAndDatabase() {
        assertThat(RedisTestServer.url(LOCAL)).isEqualTo("redis://127.0.0.1:6379/11");
    }

    @Test
    void urlWhenServerHasCredentialsThenCarriesThemEncoded() {
        RedisStandaloneConfiguration server = server("redis.example", 6380, 2);
        server.setUsername("tests");
        server.setPassword("p@ss:word");

        assertThat(RedisTestServer.url(server)).isEqualTo("redis://tests:p%40ss%3Aword@redis.example:6380/2");
    }

    private static RedisStandaloneConfiguration server(String host, int port, int database) {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(host, port);
        server.setDatabase(database);
        return server;
    }
}
