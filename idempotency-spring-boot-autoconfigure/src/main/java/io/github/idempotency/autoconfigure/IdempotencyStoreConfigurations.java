package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The store configurations, imported in order of preference by {@link IdempotencyAutoConfiguration}: the
 * first whose conditions hold registers the {@link IdempotencyStore}, and the others back off.
 */
final class IdempotencyStoreConfigurations {

    private IdempotencyStoreConfigurations() {}

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(IdempotencyStore.class)
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "memory", matchIfMissing = true)
    static class InMemoryStoreConfiguration {

        @Bean
        InMemoryIdempotencyStore idempotencyStore(IdempotencyProperties properties) {
            return new InMemoryIdempotencyStore(
                    Clock.systemUTC(),
                    properties.getExpiredLeasePolicy(),
                    properties.getMemory().getMaxEntries());
        }
    }

    /**
     * Reached only when {@code idempotency.store.type} names a store whose technology is missing: fails
     * startup rather than leaving idempotent endpoints unprotected.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(IdempotencyStore.class)
    @ConditionalOnProperty(name = "idempotency.store.type")
    static class UnavailableStoreConfiguration {

        @Bean
        IdempotencyStore idempotencyStore(IdempotencyProperties properties) {
            IdempotencyProperties.StoreType type = properties.getStore().getType();
            String reason = switch (type) {
                case REDIS ->
                    "no RedisConnectionFactory bean exists; add spring-boot-starter-data-redis and "
                            + "configure spring.data.redis.*";
                case JDBC ->
                    "no DataSource bean exists; add spring-boot-starter-jdbc (or data-jpa), a JDBC "
                            + "driver and spring.datasource.*";
                case MEMORY -> "the in-memory store could not be created";
            };
            throw new InvalidConfigurationPropertyValueException("idempotency.store.type", type, reason);
        }
    }
}
