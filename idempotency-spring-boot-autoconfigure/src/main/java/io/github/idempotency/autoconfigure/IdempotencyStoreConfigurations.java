package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaInitializer;
import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaValidator;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStorePurger;
import io.github.idempotency.store.jdbc.JdbcIdempotencyTransactions;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import io.github.idempotency.store.redis.RedisIdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The store configurations, imported in order of preference by {@link IdempotencyAutoConfiguration}: the
 * first whose conditions hold registers the {@link IdempotencyStore}, and the others back off.
 */
final class IdempotencyStoreConfigurations {

    private static final Log logger = LogFactory.getLog(IdempotencyStoreConfigurations.class);

    private IdempotencyStoreConfigurations() {}

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisConnectionFactory.class)
    @ConditionalOnBean(RedisConnectionFactory.class)
    @ConditionalOnMissingBean(IdempotencyStore.class)
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "redis", matchIfMissing = true)
    static class RedisStoreConfiguration {

        @Bean
        RedisIdempotencyStore idempotencyStore(
                RedisConnectionFactory connectionFactory, IdempotencyProperties properties) {
            warnAboutLongCommandTimeout(connectionFactory, properties.getStore().getTimeout());
            // Under BLOCK an abandoned claim is kept as long as a response would be.
            return new RedisIdempotencyStore(
                    connectionFactory,
                    properties.getRedis().getKeyPrefix(),
                    properties.getExpiredLeasePolicy(),
                    properties.getTtl());
        }
    }

    /**
     * Redis calls are bounded by the client's command timeout, not by {@code idempotency.store.timeout}: say
     * so at startup when the client would hold a request longer (Lettuce waits 60 s when none is set).
     */
    static void warnAboutLongCommandTimeout(RedisConnectionFactory connectionFactory, Duration storeTimeout) {
        if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
            Duration commandTimeout = lettuce.getClientConfiguration().getCommandTimeout();
            if (commandTimeout.compareTo(storeTimeout) > 0) {
                logger.warn("Redis commands of the idempotency store may each wait " + commandTimeout
                        + " (the Redis client's command timeout) before a request is answered 503, longer than"
                        + " idempotency.store.timeout (" + storeTimeout + "); set spring.data.redis.timeout");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcTemplate.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnMissingBean(IdempotencyStore.class)
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "jdbc", matchIfMissing = true)
    @Import(DatabaseInitializationDependencyConfigurer.class)
    static class JdbcStoreConfiguration {

        @Bean
        JdbcIdempotencyStore idempotencyStore(DataSource dataSource, IdempotencyProperties properties) {
            // A template of its own: the application's may be tuned (fetch size, timeouts) for other work.
            JdbcIdempotencyStore store = new JdbcIdempotencyStore(
                    new JdbcTemplate(dataSource),
                    properties.getJdbc().getTableName(),
                    Clock.systemUTC(),
                    properties.getExpiredLeasePolicy());
            store.setQueryTimeout(properties.getStore().getTimeout());
            store.setClaimCommit(properties.getJdbc().getClaimCommit());
            return store;
        }

        @Bean
        @ConditionalOnMissingBean
        JdbcIdempotencySchemaInitializer idempotencySchemaInitializer(
                DataSource dataSource, IdempotencyProperties properties) {
            return new JdbcIdempotencySchemaInitializer(
                    dataSource,
                    properties.getJdbc().getTableName(),
                    properties.getJdbc().getInitializeSchema());
        }

        /**
         * Checks the table once the database is initialized: by the schema initializer above, or by the
         * application's Flyway or Liquibase migrations.
         */
        @Bean
        @ConditionalOnMissingBean
        @DependsOnDatabaseInitialization
        JdbcIdempotencySchemaValidator idempotencySchemaValidator(
                DataSource dataSource, IdempotencyProperties properties) {
            return new JdbcIdempotencySchemaValidator(
                    dataSource,
                    properties.getJdbc().getTableName(),
                    properties.getStore().getTimeout());
        }

        /**
         * The transactional mode's transactions, or a null bean when the transaction manager does not manage
         * the store's DataSource (the handler method validator then refuses transactional endpoints).
         */
        @Bean
        @ConditionalOnSingleCandidate(PlatformTransactionManager.class)
        JdbcIdempotencyTransactions idempotencyTransactions(
                PlatformTransactionManager transactionManager,
                JdbcIdempotencyStore store,
                DataSource dataSource,
                IdempotencyProperties properties) {
            if (!JdbcIdempotencyTransactions.manages(transactionManager, dataSource)) {
                return null;
            }
            return new JdbcIdempotencyTransactions(
                    transactionManager,
                    store,
                    dataSource,
                    properties.getStore().getTimeout().dividedBy(2));
        }

        @Bean
        @Conditional(OnPurgeEnabledCondition.class)
        JdbcIdempotencyStorePurger idempotencyStorePurger(
                JdbcIdempotencyStore store, IdempotencyProperties properties) {
            return new JdbcIdempotencyStorePurger(
                    store,
                    properties.getJdbc().getPurgeInterval(),
                    properties.getJdbc().getPurgeBatchSize());
        }
    }

    /**
     * Matches unless {@code idempotency.jdbc.purge-interval} is zero or negative.
     */
    static class OnPurgeEnabledCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Duration interval = Binder.get(context.getEnvironment())
                    .bind("idempotency.jdbc.purge-interval", Duration.class)
                    .orElse(Duration.ofMinutes(5));
            return (interval.isNegative() || interval.isZero())
                    ? ConditionOutcome.noMatch("idempotency.jdbc.purge-interval is " + interval)
                    : ConditionOutcome.match("idempotency.jdbc.purge-interval is " + interval);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(IdempotencyStore.class)
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "memory", matchIfMissing = true)
    static class InMemoryStoreConfiguration {

        @Bean
        InMemoryIdempotencyStore idempotencyStore(IdempotencyProperties properties) {
            if (properties.getStore().getType() == null) {
                // Chosen for want of anything else: an application meant to run several instances would
                // silently protect nothing across them.
                logger.warn("Idempotency keys are kept in memory because neither a RedisConnectionFactory nor a"
                        + " DataSource bean exists: they are lost on restart and not shared between instances,"
                        + " which suits tests and a single instance only. Set idempotency.store.type=memory to"
                        + " confirm this choice, or configure Redis or a DataSource");
            }
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
