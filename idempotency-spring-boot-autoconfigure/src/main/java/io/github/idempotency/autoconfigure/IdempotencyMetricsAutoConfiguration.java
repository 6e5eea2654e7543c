package io.github.idempotency.autoconfigure;

import io.github.idempotency.actuate.IdempotencyRecordFailureCounter;
import io.github.idempotency.engine.IdempotencyEngine;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code idempotency.record.failures} counter, where Micrometer's
 * {@link MeterRegistry} is in use. The timers {@code idempotency.operation} and {@code idempotency.store}
 * come from the engine's observations, through the application's {@code ObservationRegistry}.
 */
@AutoConfiguration(
        after = IdempotencyAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "idempotency.enabled", matchIfMissing = true)
@ConditionalOnBean({MeterRegistry.class, IdempotencyEngine.class})
public class IdempotencyMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IdempotencyRecordFailureCounter idempotencyRecordFailureCounter(MeterRegistry meterRegistry) {
        return new IdempotencyRecordFailureCounter(meterRegistry);
    }
}
