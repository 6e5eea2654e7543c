package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.actuate.IdempotencyEndpoint;
import io.github.idempotency.actuate.IdempotencyEndpointWebExtension;
import io.github.idempotency.actuate.IdempotencyRecordFailureCounter;
import io.github.idempotency.actuate.IdempotencyStoreHealthIndicator;
import io.github.idempotency.engine.DefaultIdempotencyObservationConvention;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.engine.IdempotencyObservationContext;
import io.github.idempotency.engine.IdempotencyObservationConvention;
import io.github.idempotency.openapi.IdempotentOperationCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configurations of operating the starter: the engine's observations, the actuator endpoint, the
 * store's health indicator, the counter of failures to record, and the OpenAPI customizer; each present
 * with its technology, and absent without it or when switched off.
 */
class IdempotencyOperationsAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    IdempotencyAutoConfiguration.class,
                    IdempotencyWebMvcAutoConfiguration.class,
                    IdempotencyEndpointAutoConfiguration.class,
                    IdempotencyHealthContributorAutoConfiguration.class,
                    IdempotencyMetricsAutoConfiguration.class,
                    IdempotencyOpenApiAutoConfiguration.class));

    @Test
    void engineObservesThroughTheApplicationsObservationRegistry() {
        this.runner.withUserConfiguration(ObservationConfiguration.class).run((context) -> {
            context.getBean(IdempotencyEngine.class).reject("OrderController#create(NewOrder)");

            List<Observation.Context> stopped = context.getBean(ObservationConfiguration.class).stopped;
            assertThat(stopped).singleElement().satisfies((observed) -> {
                assertThat(observed.getName()).isEqualTo(DefaultIdempotencyObservationConvention.NAME);
                assertThat(observed.getLowCardinalityKeyValue("outcome").getValue())
                        .isEqualTo("rejected");
                assertThat(observed.getLowCardinalityKeyValue("store").getValue())
                        .isEqualTo("memory");
            });
        });
    }

    @Test
    void engineUsesTheApplicationsObservationConvention() {
        this.runner
                .withUserConfiguration(ObservationConfiguration.class, ConventionConfiguration.class)
                .run((context) -> {
                    context.getBean(IdempotencyEngine.class).reject("OrderController#create(NewOrder)");

                    assertThat(context.getBean(ObservationConfiguration.class).stopped)
                            .singleElement()
                            .satisfies(
                                    (observed) -> assertThat(observed.getName()).isEqualTo("payments.idempotency"));
                });
    }

    @Test
    void endpointWhenExposedThenRegisteredWithItsWebExtension() {
        this.runner
                .withPropertyValues("management.endpoints.web.exposure.include=idempotency")
                .run((context) -> {
                    assertThat(context).hasSingleBean(IdempotencyEndpoint.class);
                    assertThat(context).hasSingleBean(IdempotencyEndpointWebExtension.class);
                });
    }

    @Test
    void endpointWhenNotExposedThenAbsent() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyEndpoint.class));
    }

    @Test
    void endpointWithoutActuatorThenAbsent() {
        this.runner
                .withPropertyValues("management.endpoints.web.exposure.include=idempotency")
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run((context) -> assertThat(context).doesNotHaveBean(IdempotencyEndpoint.class));
    }

    @Test
    void healthIndicatorRegisteredAsIdempotency() {
        this.runner.run((context) -> assertThat(context)
                .getBean("idempotencyHealthIndicator")
                .isInstanceOf(IdempotencyStoreHealthIndicator.class));
    }

    @Test
    void healthIndicatorWhenDisabledThenAbsent() {
        this.runner
                .withPropertyValues("management.health.idempotency.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean(IdempotencyStoreHealthIndicator.class));
    }

    @Test
    void healthIndicatorWithoutHealthSupportThenAbsent() {
        this.runner
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run((context) -> assertThat(context).doesNotHaveBean(IdempotencyStoreHealthIndicator.class));
    }

    @Test
    void recordFailureCounterWhenMeterRegistryExistsThenRegistered() {
        this.runner
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run((context) -> assertThat(context).hasSingleBean(IdempotencyRecordFailureCounter.class));
    }

    @Test
    void recordFailureCounterWithoutMeterRegistryThenAbsent() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyRecordFailureCounter.class));
    }

    @Test
    void operationCustomizerWhenSpringdocPresentThenRegistered() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(IdempotentOperationCustomizer.class));
    }

    @Test
    void operationCustomizerWithoutSpringdocThenAbsent() {
        this.runner
                .withClassLoader(new FilteredClassLoader(OperationCustomizer.class))
                .run((context) -> assertThat(context).doesNotHaveBean(IdempotentOperationCustomizer.class));
    }

    @Test
    void nothingWhenDisabled() {
        this.runner
                .withPropertyValues(
                        "idempotency.enabled=false", "management.endpoints.web.exposure.include=idempotency")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run((context) -> {
                    assertThat(context).doesNotHaveBean(IdempotencyEndpoint.class);
                    assertThat(context).doesNotHaveBean(IdempotencyStoreHealthIndicator.class);
                    assertThat(context).doesNotHaveBean(IdempotencyRecordFailureCounter.class);
                    assertThat(context).doesNotHaveBean(IdempotentOperationCustomizer.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ObservationConfiguration {

        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {

                @Override
                public void onStop(Observation.Context context) {
                    ObservationConfiguration.this.stopped.add(context);
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return context instanceof IdempotencyObservationContext;
                }
            });
            return registry;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConventionConfiguration {

        @Bean
        IdempotencyObservationConvention paymentsConvention() {
            return new DefaultIdempotencyObservationConvention() {

                @Override
                public String getName() {
                    return "payments.idempotency";
                }
            };
        }
    }
}
