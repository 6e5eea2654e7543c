package com.example.payments.events;

import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.core.JacksonException;

/**
 * Profile {@value #PROFILE}: the relay publishes events to the topic {@value #TOPIC}, and a listener hands
 * them to the same {@link PaymentSucceededConsumer} that the in-process delivery calls otherwise. The
 * broker is {@code spring.kafka.bootstrap-servers}.
 */
@Configuration(proxyBeanMethods = false)
@Profile(KafkaEventsConfiguration.PROFILE)
public class KafkaEventsConfiguration {

    /** The profile that sends events through Kafka. */
    public static final String PROFILE = "kafka";

    /** The topic of the payment events. */
    public static final String TOPIC = "payments.events";

    /** The ledger listener's id, which is also its consumer group. */
    public static final String LISTENER_ID = "payments-ledger";

    // Created when missing, with the broker's default replication; existing topics are left as they are.
    @Bean
    NewTopic paymentEventsTopic() {
        return TopicBuilder.name(TOPIC).partitions(3).build();
    }

    @Bean
    KafkaEventDelivery kafkaEventDelivery(KafkaTemplate<String, String> kafka) {
        return new KafkaEventDelivery(kafka, TOPIC);
    }

    @Bean
    PaymentEventsListener paymentEventsListener(PaymentSucceededConsumer consumer, EventJson json) {
        return new PaymentEventsListener(consumer, json);
    }

    /**
     * Redelivers a record whose consumption failed until it succeeds, with a growing pause, rather than
     * giving up after a few attempts as Spring Kafka does by default: a record in progress elsewhere or a
     * database that is down for a while must not be skipped, or its payment would never be booked. A record
     * that is not an event at all can never succeed, and is logged and skipped.
     * @return the error handler of the listener containers
     */
    @Bean
    DefaultErrorHandler eventsErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
        backOff.setMaxInterval(Duration.ofSeconds(5).toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        handler.addNotRetryableExceptions(JacksonException.class);
        return handler;
    }
}
