package io.github.idempotency.bench;

import io.github.idempotency.autoconfigure.IdempotencyProperties;
import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaInitializer;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import jakarta.servlet.Filter;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application that {@code bench/run.sh} loads with wrk: one {@code POST /orders} endpoint, plain or
 * {@code @Idempotent} ({@code bench.idempotent}), on the store that {@code idempotency.store.type} names.
 * {@code GET /bench/stats} reports the store round trips and handler runs since its previous call;
 * {@code GET /bench/floor} measures the store's floor on the application's own pool or client;
 * {@code POST /bench/statement-timeout} turns the JDBC store's statement timeout off and on, and
 * {@code POST /bench/claim-commit} switches its claim commit; the JDBC variant also serves the transactional
 * endpoints of {@link TransactionalOrderController}. The plain
 * variant also does each store's floor work by hand around the same handler ({@link ByHandStoreFilter}).
 *
 * <p>No component scanning: exactly one of the two controllers is registered, so both variants answer the
 * same path with the same handler code.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class BenchApplication {

    /**
     * Starts the application.
     * @param args Spring Boot arguments, such as {@code --bench.idempotent=true}
     */
    public static void main(String[] args) {
        SpringApplication.run(BenchApplication.class, args);
    }

    @Bean
    BenchCounters benchCounters() {
        return new BenchCounters();
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "bench.idempotent")
    IdempotentOrderController idempotentOrderController(BenchCounters counters) {
        return new IdempotentOrderController(counters);
    }

    /**
     * Counts and times the requests to {@code /orders} as they end, outside every other filter.
     */
    @Bean
    FilterRegistrationBean<Filter> requestCountingFilter(BenchCounters counters) {
        Filter filter = (request, response, chain) -> {
            long start = System.nanoTime();
            try {
                chain.doFilter(request, response);
            } finally {
                counters.requestServed(System.nanoTime() - start);
            }
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/orders", "/by-hand/*", "/tx/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    StatsController statsController(BenchCounters counters) {
        return new StatsController(counters);
    }

    @Bean
    FloorController floorController(
            ObjectProvider<DataSource> dataSources,
            ObjectProvider<LettuceConnectionFactory> redisConnectionFactories,
            Environment environment) {
        return new FloorController(dataSources, redisConnectionFactories, environment);
    }

    @Bean
    static StoreInstrumentingPostProcessor storeInstrumentingPostProcessor() {
        return new StoreInstrumentingPostProcessor();
    }

    /**
     * Empties the JDBC store's table and the transactional endpoints' business table, so that every run
     * starts from the same table sizes.
     */
    @Bean
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "jdbc")
    ApplicationRunner truncateBenchTable(JdbcTemplate jdbcTemplate, Environment environment) {
        String table = Binder.get(environment)
                .bind("idempotency.jdbc.table-name", String.class)
                .orElse("idempotency_record");
        return (arguments) -> {
            jdbcTemplate.execute("TRUNCATE TABLE " + table);
            jdbcTemplate.execute(TransactionalOrders.DDL);
            jdbcTemplate.execute("TRUNCATE TABLE " + TransactionalOrders.TABLE);
        };
    }

    @Bean
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "jdbc")
    TransactionalOrders transactionalOrders(JdbcTemplate jdbcTemplate, BenchCounters counters) {
        return new TransactionalOrders(jdbcTemplate, counters);
    }

    @Bean
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "jdbc")
    TransactionalOrderController transactionalOrderController(TransactionalOrders orders) {
        return new TransactionalOrderController(orders);
    }

    @Bean
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "jdbc")
    ClaimCommitController claimCommitController(JdbcIdempotencyStore store) {
        return new ClaimCommitController(store);
    }

    @Bean
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "jdbc")
    StatementTimeoutController statementTimeoutController(
            JdbcIdempotencyStore store, IdempotencyProperties properties) {
        return new StatementTimeoutController(store, properties);
    }

    /**
     * Counts the Redis commands of the application's Lettuce client. Lettuce instruments only connections
     * opened after a listener is added, so the shared connection is reopened.
     */
    @Bean
    ApplicationRunner countRedisCommands(
            ObjectProvider<LettuceConnectionFactory> connectionFactories, BenchCounters counters) {
        return (arguments) -> connectionFactories.ifAvailable((connectionFactory) -> {
            connectionFactory.getRequiredNativeClient().addListener(counters.redisCommandListener());
            connectionFactory.resetConnection();
        });
    }

    /**
     * The plain variant: the endpoint without {@code @Idempotent}, and the same handler at
     * {@code /by-hand/{store}/orders} with each store's floor work done by hand around it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "bench.idempotent", havingValue = false, matchIfMissing = true)
    static class PlainVariantConfiguration {

        @Bean
        OrderController orderController(BenchCounters counters) {
            return new OrderController(counters);
        }

        @Bean
        ByHandOrderController byHandOrderController(BenchCounters counters) {
            return new ByHandOrderController(counters);
        }

        @Bean
        FilterRegistrationBean<ByHandStoreFilter> byHandPostgresFilter(
                FloorController floors, DataSource dataSource, BenchCounters counters) {
            // This variant runs no idempotency auto-configuration, so nothing else creates the floor's table.
            new JdbcIdempotencySchemaInitializer(dataSource, FloorHarness.TABLE, DatabaseInitializationMode.ALWAYS)
                    .initializeDatabase();
            return byHandStoreFilter(floors, "postgres", counters);
        }

        @Bean
        FilterRegistrationBean<ByHandStoreFilter> byHandRedisFilter(FloorController floors, BenchCounters counters) {
            return byHandStoreFilter(floors, "redis", counters);
        }

        private static FilterRegistrationBean<ByHandStoreFilter> byHandStoreFilter(
                FloorController floors, String store, BenchCounters counters) {
            FilterRegistrationBean<ByHandStoreFilter> registration =
                    new FilterRegistrationBean<>(new ByHandStoreFilter(floors.open(store), counters));
            registration.setName("byHand-" + store);
            registration.addUrlPatterns("/by-hand/" + store + "/orders");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
            return registration;
        }
    }
}
