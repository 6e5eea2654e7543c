package io.github.idempotency.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyMethodAutoConfiguration;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An {@code @Idempotent(key = "#event.eventId")} {@code @KafkaListener} against a real broker (embedded
 * KRaft) receives each event several times, as at-least-once delivery allows, and has its
 * effect once per event id: when the producer publishes an event more than once, and when a consumer stops
 * after processing an event but before committing its offset, so that the next consumer of the group gets it
 * again. A subclass chooses the store and the listener's effect. The broker is shared (see
 * {@link KafkaTestBroker}); each test has topics and consumer groups of its own.
 */
abstract class AbstractKafkaListenerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTestBroker broker = KafkaTestBroker.shared();

    /**
     * Adds the store and the listener, whose container is {@code ledger}, consuming {@code ${test.topic}} in
     * group {@code ${test.group}}.
     * @param runner a runner with Kafka's and the starter's auto-configuration
     * @return the runner with the store and the listener
     */
    protected abstract ApplicationContextRunner withStoreAndListener(ApplicationContextRunner runner);

    /**
     * Returns how often the listener's effect happened for an event.
     * @param eventId the event's id
     * @return the number of effects that stand
     */
    protected abstract int effects(String eventId);

    /**
     * Asserts that the store holds the event's outcome as completed, so that later deliveries are answered
     * from it.
     * @param eventId the event's id
     */
    protected abstract void assertCompleted(String eventId);

    @Test
    void eventPublishedThreeTimesHasItsEffectOnce() {
        String topic = this.broker.createTopic(2);
        Deliveries deliveries = new Deliveries();
        // Two consumers, one per partition, so that copies of an event may also be processed at the same time.
        consumer(topic, "ledger-" + UUID.randomUUID(), deliveries, "spring.kafka.listener.concurrency=2")
                .run((context) -> {
                    String first = UUID.randomUUID().toString();
                    String second = UUID.randomUUID().toString();
                    for (int partition : new int[] {0, 1, 0}) {
                        this.broker.publish(topic, partition, new PaymentEvent(first, 100));
                        this.broker.publish(topic, partition, new PaymentEvent(second, 250));
                    }

                    deliveries.awaitSucceeded(first, 3, TIMEOUT);
                    deliveries.awaitSucceeded(second, 3, TIMEOUT);

                    assertThat(effects(first)).isEqualTo(1);
                    assertThat(effects(second)).isEqualTo(1);
                    assertCompleted(first);
                    assertCompleted(second);
                });
    }

    @Test
    void eventProcessedButNeverCommittedIsRedeliveredToTheNextConsumerWithoutASecondEffect() {
        String topic = this.broker.createTopic(1);
        String group = "ledger-" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        Deliveries deliveries = new Deliveries();
        // Manual acknowledgement that never comes: the consumer processes the event and stops before its offset
        // is committed, as one that crashes or is scaled down between the two would.
        consumer(topic, group, deliveries, "spring.kafka.listener.ack-mode=manual")
                .run((context) -> {
                    this.broker.publish(topic, 0, new PaymentEvent(eventId, 100));
                    deliveries.awaitSucceeded(eventId, 1, TIMEOUT);
                    assertThat(effects(eventId)).isEqualTo(1);
                });
        assertThat(this.broker.committedOffset(group, topic))
                .as("offset committed by the first consumer")
                .isEmpty();

        consumer(topic, group, deliveries).run((context) -> {
            deliveries.awaitSucceeded(eventId, 2, TIMEOUT);

            assertThat(deliveries.of(eventId)).containsExactly(Deliveries.SUCCEEDED, Deliveries.SUCCEEDED);
            assertThat(effects(eventId)).isEqualTo(1);
            assertCompleted(eventId);
        });
    }

    private ApplicationContextRunner consumer(String topic, String group, Deliveries deliveries, String... properties) {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        KafkaAutoConfiguration.class,
                        IdempotencyAutoConfiguration.class,
                        IdempotencyMethodAutoConfiguration.class))
                .withUserConfiguration(ListenerContainerConfiguration.class)
                .withBean(Deliveries.class, () -> deliveries)
                .withPropertyValues(
                        "spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers(),
                        "spring.kafka.consumer.auto-offset-reset=earliest",
                        "test.topic=" + topic,
                        "test.group=" + group)
                .withPropertyValues(properties);
        return withStoreAndListener(runner);
    }
}
