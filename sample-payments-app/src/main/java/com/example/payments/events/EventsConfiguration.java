package com.example.payments.events;

import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay, polling every {@code sample.events.poll-interval}, and the in-process delivery that it
 * uses unless the {@code kafka} profile is active ({@link KafkaEventsConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

    // Far beyond what a consumer's transaction or a broker's acknowledgement takes.
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    EventRelay eventRelay(
            Outbox outbox,
            PlatformTransactionManager transactionManager,
            EventDelivery delivery,
            EventsProperties properties,
            Clock clock) {
        return new EventRelay(
                outbox,
                new TransactionTemplate(transactionManager),
                delivery,
                properties.deliveryCopies(),
                properties.batchSize(),
                clock,
                DELIVERY_TIMEOUT);
    }

    // A thread of its own, from Boot's builder so that spring.task.scheduling.* applies to it. A cancelled
    // schedule leaves its queue at once: once due, even a cancelled batch would wait in a stopped scheduler.
    @Bean
    ThreadPoolTaskScheduler eventRelayScheduler(ThreadPoolTaskSchedulerBuilder builder) {
        ThreadPoolTaskScheduler scheduler =
                builder.threadNamePrefix("event-relay-").build();
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    // Depends on its scheduler, so that it stops first.
    @Bean
    EventRelaySchedule eventRelaySchedule(
            EventRelay relay, ThreadPoolTaskScheduler eventRelayScheduler, EventsProperties properties) {
        return new EventRelaySchedule(relay::poll, eventRelayScheduler, properties.pollInterval());
    }

    @Bean
    @Profile("!" + KafkaEventsConfiguration.PROFILE)
    InProcessEventDelivery inProcessEventDelivery(PaymentSucceededConsumer consumer, EventJson json) {
        return new InProcessEventDelivery(consumer, json);
    }
}
