package io.github.idempotency.kafka;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.Idempotent;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyMethodAutoConfiguration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/**
 * A consumer application that {@link KafkaConsumerCrashIT} runs as child JVMs, so that it can kill one with
 * SIGKILL in the middle of processing an event: a {@code @Transactional} {@code @KafkaListener} with
 * {@code @Idempotent(key = "#event.eventId")} that writes a ledger row to PostgreSQL, its keys in the JDBC
 * store (joined to the listener's transaction) or in Redis (leases), as {@code idempotency.store.type} says.
 *
 * <p>It reports what the test waits for on standard output, in lines that start with {@value #REPORT} and the
 * time: the partitions assigned to it, each ledger row it wrote (still uncommitted), and how each delivery ended.
 * With {@code test.hang-on-crash-events=true}, it holds a {@value #CRASH_EVENT_PREFIX} event's transaction
 * open after writing its row, until it is killed.
 */
@Configuration(proxyBeanMethods = false)
@EnableTransactionManagement
@Import(ListenerContainerConfiguration.class)
@ImportAutoConfiguration({
    KafkaAutoConfiguration.class,
    IdempotencyAutoConfiguration.class,
    IdempotencyMethodAutoConfiguration.class
})
public class LedgerConsumerApplication {

    /** Start of every line the application reports to the test. */
    static final String REPORT = "ledger-consumer: ";

    /** Start of the ids of events that a hanging consumer holds until it is killed. */
    static final String CRASH_EVENT_PREFIX = "crash-";

    /**
     * Runs the application until it is killed.
     * @param args Spring Boot arguments ({@code --name=value})
     */
    public static void main(String[] args) {
        new SpringApplicationBuilder(LedgerConsumerApplication.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    /**
     * Reports a line to the test, after the time it happened (epoch milliseconds), which the test compares
     * with the leases it measures.
     */
    static void report(String line) {
        System.out.println(REPORT + System.currentTimeMillis() + " " + line);
        System.out.flush();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(
            @Value("${test.postgres.url}") String url,
            @Value("${test.postgres.username:}") String username,
            @Value("${test.postgres.password:}") String password) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(username.isEmpty() ? null : username);
        dataSource.setPassword(password.isEmpty() ? null : password);
        dataSource.setMaximumPoolSize(3);
        return dataSource;
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    @ConditionalOnProperty(name = "idempotency.store.type", havingValue = "redis")
    LettuceConnectionFactory redisConnectionFactory(@Value("${test.redis.url}") String url) {
        return new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(url));
    }

    @Bean
    RecordInterceptor<Object, Object> deliveryReporter() {
        return new RecordInterceptor<>() {

            @Override
            public ConsumerRecord<Object, Object> intercept(
                    ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
                return record;
            }

            @Override
            public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
                report("delivered " + record.key() + " " + Deliveries.SUCCEEDED);
            }

            @Override
            public void failure(
                    ConsumerRecord<Object, Object> record, Exception exception, Consumer<Object, Object> consumer) {
                report("delivered " + record.key() + " " + Deliveries.outcome(exception));
            }
        };
    }

    @Bean
    ConsumerAwareRebalanceListener assignmentReporter() {
        return new ConsumerAwareRebalanceListener() {

            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                report("assigned "
                        + partitions.stream()
                                .map(TopicPartition::partition)
                                .sorted()
                                .toList());
            }
        };
    }

    @Bean
    LedgerListener ledgerListener(
            DataSource dataSource,
            @Value("${test.ledger-table}") String table,
            @Value("${test.hang-on-crash-events:false}") boolean hangOnCrashEvents) {
        return new LedgerListener(new JdbcTemplate(dataSource), table, hangOnCrashEvents);
    }

    /**
     * Credits the ledger once per payment event, in the listener's transaction.
     */
    public static class LedgerListener {

        private final JdbcTemplate jdbc;

        private final String table;

        private final boolean hangOnCrashEvents;

        LedgerListener(JdbcTemplate jdbc, String table, boolean hangOnCrashEvents) {
            this.jdbc = jdbc;
            this.table = table;
            this.hangOnCrashEvents = hangOnCrashEvents;
        }

        @KafkaListener(id = "ledger", topics = "${test.topic}", groupId = "${test.group}")
        @Transactional
        @Idempotent(key = "#event.eventId", name = "ledger")
        public void onPaymentEvent(PaymentEvent event) throws InterruptedException {
            this.jdbc.update(
                    "INSERT INTO " + this.table + " (event_id, amount) VALUES (?, ?)", event.eventId(), event.amount());
            report("wrote " + event.eventId());
            if (this.hangOnCrashEvents && event.eventId().startsWith(CRASH_EVENT_PREFIX)) {
                // Inside the transaction, after the write, before the record: where a crash hurts most.
                new CountDownLatch(1).await();
            }
        }
    }
}
