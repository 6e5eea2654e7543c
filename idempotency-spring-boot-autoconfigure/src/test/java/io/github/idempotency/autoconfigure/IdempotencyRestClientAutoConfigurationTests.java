package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.client.IdempotentRequestInterceptor;
import io.github.idempotency.client.IdempotentRestClientCustomizer;
import io.github.idempotency.client.IdempotentRetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;

/**
 * The {@code RestClient} companion's auto-configuration: defaults, property overrides, backing off for the
 * application's own customizer, no {@code RestClient} on the class path, and invalid properties.
 */
class IdempotencyRestClientAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IdempotencyRestClientAutoConfiguration.class));

    @Test
    void defaultsMatchTheDefaultSettings() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(IdempotentRestClientCustomizer.class);
            assertThat(settings(context.getBean(IdempotentRestClientCustomizer.class)))
                    .isEqualTo(IdempotentRetrySettings.defaults());
        });
    }

    @Test
    void propertiesAreBoundIntoTheSettings() {
        this.runner
                .withPropertyValues(
                        "idempotency.client.header-name=X-Request-Key",
                        "idempotency.client.max-attempts=10",
                        "idempotency.client.initial-backoff=100ms",
                        "idempotency.client.multiplier=1.5",
                        "idempotency.client.max-backoff=2s",
                        "idempotency.client.jitter=0",
                        "idempotency.client.max-total-time=1m",
                        "idempotency.client.max-retry-after=3s")
                .run((context) -> assertThat(settings(context.getBean(IdempotentRestClientCustomizer.class)))
                        .isEqualTo(new IdempotentRetrySettings(
                                "X-Request-Key",
                                10,
                                Duration.ofMillis(100),
                                1.5,
                                Duration.ofSeconds(2),
                                Duration.ZERO,
                                Duration.ofMinutes(1),
                                Duration.ofSeconds(3))));
    }

    @Test
    void customizerIsNoRestClientCustomizerAndChangesOnlyTheBuildersItIsAppliedTo() {
        this.runner.run((context) -> {
            IdempotentRestClientCustomizer customizer = context.getBean(IdempotentRestClientCustomizer.class);
            // Spring Boot applies every RestClientCustomizer bean to every builder; this one must not be one.
            assertThat(customizer.getClass().getInterfaces()).containsExactly(Consumer.class);
            assertThat(interceptors(RestClient.builder().apply(customizer)))
                    .containsExactly(customizer.getInterceptor());
            assertThat(interceptors(RestClient.builder())).isEmpty();
        });
    }

    @Test
    void applicationCustomizerWins() {
        this.runner.withUserConfiguration(OwnCustomizerConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(IdempotentRestClientCustomizer.class);
            assertThat(context.getBean(IdempotentRestClientCustomizer.class))
                    .isSameAs(context.getBean("ownCustomizer"));
        });
    }

    @Test
    void nothingIsConfiguredWithoutRestClient() {
        this.runner.withClassLoader(new FilteredClassLoader(RestClient.class)).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(IdempotentRestClientCustomizer.class);
            assertThat(context).doesNotHaveBean(IdempotencyClientProperties.class);
        });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "idempotency.client.header-name=Bad Header | idempotency.client.header-name",
                "idempotency.client.max-attempts=0         | idempotency.client.max-attempts",
                "idempotency.client.initial-backoff=0s     | idempotency.client.initial-backoff",
                "idempotency.client.multiplier=0.5         | idempotency.client.multiplier",
                "idempotency.client.max-backoff=100ms      | idempotency.client.max-backoff",
                "idempotency.client.jitter=-1ms            | idempotency.client.jitter",
                "idempotency.client.max-total-time=0s      | idempotency.client.max-total-time",
                "idempotency.client.max-retry-after=-1s    | idempotency.client.max-retry-after"
            })
    void invalidPropertyFailsStartupNamingIt(String property, String name) {
        this.runner.withPropertyValues(property).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining(name);
        });
    }

    private static IdempotentRetrySettings settings(IdempotentRestClientCustomizer customizer) {
        return customizer.getInterceptor().getSettings();
    }

    private static List<ClientHttpRequestInterceptor> interceptors(RestClient.Builder builder) {
        List<ClientHttpRequestInterceptor> interceptors = new ArrayList<>();
        builder.requestInterceptors(interceptors::addAll);
        return interceptors;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCustomizerConfiguration {

        @Bean
        IdempotentRestClientCustomizer ownCustomizer() {
            return new IdempotentRestClientCustomizer(
                    new IdempotentRequestInterceptor(IdempotentRetrySettings.defaults()));
        }
    }
}
