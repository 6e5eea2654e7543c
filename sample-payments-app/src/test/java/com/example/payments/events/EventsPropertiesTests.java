package com.example.payments.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * {@code sample.events.*}: the defaults, and a start that fails naming a property set to what cannot work.
 */
class EventsPropertiesTests {

    private final ApplicationContextRunner contextRunner =
            new ApplicationContextRunner().withUserConfiguration(PropertiesConfiguration.class);

    @Test
    void defaultsPollEvery200MillisecondsAndDeliverEachEventOnce() {
        this.contextRunner.run(context -> {
            EventsProperties properties = context.getBean(EventsProperties.class);
            assertThat(properties.pollInterval()).isEqualTo(Duration.ofMillis(200));
            assertThat(properties.deliveryCopies()).isEqualTo(1);
            assertThat(properties.batchSize()).isEqualTo(100);
        });
    }

    @ParameterizedTest
    @CsvSource({"poll-interval, 0ms", "delivery-copies, 0", "batch-size, -1"})
    void startFailsNamingAPropertyThatCannotWork(String property, String value) {
        this.contextRunner
                .withPropertyValues("sample.events." + property + "=" + value)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("sample.events." + property);
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(EventsProperties.class)
    static class PropertiesConfiguration {}
}
