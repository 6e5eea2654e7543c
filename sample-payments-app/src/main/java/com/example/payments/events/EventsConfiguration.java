package com.example.payments.events;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay, polling every {@code sample.events.poll-interval}, and the in-process delivery that it
 * uses unless the {@code kafka} profile is active ({@link KafkaEventsConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
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

    // Spring's scheduler (Boot configures it once scheduling is enabled) polls every interval after the end
    // of the last batch, from the start.
    @Bean
    SchedulingConfigurer eventRelaySchedule(EventRelay relay, EventsProperties properties) {
        return registrar -> registrar.addFixedDelayTask(relay::poll, properties.pollInterval());
    }

    @Bean
    @Profile("!" + KafkaEventsConfiguration.PROFILE)
    InProcessEventDelivery inProcessEventDelivery(PaymentSucceededConsumer consumer, EventJson json) {
        return new InProcessEventDelivery(consumer, json);
    }
}
