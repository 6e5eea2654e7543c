package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import io.github.idempotency.store.redis.RedisIdempotencyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The Redis store comes first when a RedisConnectionFactory exists, and backs off for an explicit choice.
 * Nothing here connects: the connection factory connects on first use.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdempotencyRedisAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues("spring.datasource.generate-unique-name=true")
            .withConfiguration(AutoConfigurations.of(
                    DataRedisAutoConfiguration.class,
                    DataSourceAutoConfiguration.class,
                    IdempotencyAutoConfiguration.class));

    @Test
    void redisConnectionFactorySelectsRedisStoreEvenWithADataSource() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(RedisIdempotencyStore.class);
            assertThat(context).doesNotHaveBean(JdbcIdempotencyStore.class);
        });
    }

    @Test
    void commandTimeoutLongerThanTheStoreTimeoutIsWarnedAbout(CapturedOutput output) {
        this.runner.run((context) ->
                assertThat(output).contains("idempotency.store.timeout (PT2S); set spring.data.redis.timeout"));
    }

    @Test
    void boundedCommandTimeoutIsNotWarnedAbout(CapturedOutput output) {
        this.runner
                .withPropertyValues("spring.data.redis.timeout=1s")
                .run((context) -> assertThat(output).doesNotContain("set spring.data.redis.timeout"));
    }

    @Test
    void explicitJdbcStoreTypeWinsOverRedis() {
        this.runner.withPropertyValues("idempotency.store.type=jdbc").run((context) -> {
            assertThat(context).hasSingleBean(JdbcIdempotencyStore.class);
            assertThat(context).doesNotHaveBean(RedisIdempotencyStore.class);
        });
    }

    @Test
    void keyPrefixIsApplied() {
        this.runner
                .withPropertyValues("idempotency.redis.key-prefix=payments:")
                .run((context) -> assertThat(new String(context.getBean(RedisIdempotencyStore.class)
                                .redisKey(new io.github.idempotency.IdempotencyKey("scope", "k"))))
                        .startsWith("payments:"));
    }

    @Test
    void withoutSpringDataRedisTheNextStoreIsChosen() {
        this.runner
                .withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
                .run((context) -> assertThat(context).hasSingleBean(JdbcIdempotencyStore.class));
    }

    @Test
    void withNeitherRedisNorDataSourceTheStoreIsInMemory() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
                .run((context) -> assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class));
    }
}
