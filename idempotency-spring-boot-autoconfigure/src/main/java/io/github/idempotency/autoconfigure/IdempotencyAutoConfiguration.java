package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyTransactions;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.engine.IdempotencyObservationConvention;
import io.github.idempotency.engine.InProgressRetryAfter;
import io.github.idempotency.engine.LeaseRenewer;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@link IdempotencyStore}: Redis if a {@code RedisConnectionFactory} exists,
 * else JDBC if a {@code DataSource} exists, else in memory; {@code idempotency.store.type} chooses
 * explicitly, and an {@link IdempotencyStore} bean of the application's own wins over all of them. The
 * engine observes every call through the application's {@link ObservationRegistry}, if it has one.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"
        })
@ConditionalOnBooleanProperty(name = "idempotency.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
@Import({
    IdempotencyStoreConfigurations.RedisStoreConfiguration.class,
    IdempotencyStoreConfigurations.JdbcStoreConfiguration.class,
    IdempotencyStoreConfigurations.InMemoryStoreConfiguration.class,
    IdempotencyStoreConfigurations.UnavailableStoreConfiguration.class
})
public class IdempotencyAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeaseRenewer idempotencyLeaseRenewer() {
        return new LeaseRenewer();
    }

    @Bean
    @ConditionalOnBean(IdempotencyStore.class)
    @ConditionalOnMissingBean
    IdempotencyEngine idempotencyEngine(
            IdempotencyStore store,
            LeaseRenewer leaseRenewer,
            ObjectProvider<IdempotencyTransactions> transactions,
            IdempotencyProperties properties,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<IdempotencyObservationConvention> observationConvention) {
        Duration fixedRetryAfter = properties.getInProgressRetryAfter();
        IdempotencyEngine engine = new IdempotencyEngine(
                store,
                leaseRenewer,
                transactions.getIfAvailable(),
                properties.getLease(),
                properties.getStore().getFailureMode() == IdempotencyProperties.FailureMode.FAIL_OPEN,
                (fixedRetryAfter != null)
                        ? InProgressRetryAfter.fixed(fixedRetryAfter)
                        : InProgressRetryAfter.estimated(Clock.systemUTC()),
                observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
        engine.setObservationConvention(observationConvention.getIfUnique());
        return engine;
    }
}
