package com.example.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.payments.events.KafkaEventsConfiguration;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The ledger end to end on the {@code kafka} profile, against a real Kafka broker (KRaft) in the test JVM:
 * the relay publishes every event three times to {@value KafkaEventsConfiguration#TOPIC}, and the ledger's
 * listener consumes each copy; then the listener is restarted from the topic's start, as after a lost offset
 * commit, and consumes every copy again. The ledger holds each payment once throughout. Payments, outbox,
 * ledger and idempotency keys are in H2.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            LedgerEndToEndIT.COPIES_PROPERTY,
            // The broker in this JVM logs its every step at INFO.
            "logging.level.kafka=warn",
            "logging.level.org.apache.kafka=warn",
            "logging.level.state.change.logger=warn"
        })
@ActiveProfiles(KafkaEventsConfiguration.PROFILE)
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class KafkaLedgerEndToEndIT extends LedgerEndToEndIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @LocalServerPort
    private int port;

    @Autowired
    private KafkaAdmin kafkaAdmin;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    private Admin admin;

    @BeforeEach
    void connectAdmin() {
        this.admin = Admin.create(this.kafkaAdmin.getConfigurationProperties());
    }

    @AfterEach
    void closeAdmin() {
        this.admin.close();
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }

    // Every record on the topic consumed: the group's committed offsets, which the listener container commits
    // once it has consumed the records before them, have reached the end of every partition.
    @Override
    protected void awaitConsumed() {
        await("every record consumed")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(this::consumedEverything);
    }

    @Test
    void consumerRestartedFromTheTopicsStartConsumesEveryEventAgainAndTheLedgerStaysTheSame() throws Exception {
        makePayments(10);
        awaitLedgerSettled();
        assertEveryPaymentCreditedOnce();
        Map<TopicPartition, Long> end = endOffsets();
        assertThat(end.values().stream().mapToLong(Long::longValue).sum())
                .as("records on the topic")
                .isGreaterThanOrEqualTo(30);

        MessageListenerContainer listener = this.listeners.getListenerContainer(KafkaEventsConfiguration.LISTENER_ID);
        listener.stop();
        rewindGroupToTheStart(end);
        listener.start();

        awaitConsumed();
        assertEveryPaymentCreditedOnce();
        awaitMoreBatches();
        assertEveryPaymentCreditedOnce();
    }

    // A group with members cannot have its offsets changed; the stopped listener's leaving may take a moment
    // to reach the broker.
    private void rewindGroupToTheStart(Map<TopicPartition, Long> partitions) {
        Map<TopicPartition, OffsetAndMetadata> start = partitions.keySet().stream()
                .collect(Collectors.toMap(Function.identity(), partition -> new OffsetAndMetadata(0)));
        await("offsets of the stopped group rewound")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    this.admin
                            .alterConsumerGroupOffsets(KafkaEventsConfiguration.LISTENER_ID, start)
                            .all()
                            .get();
                    return committedOffsets().values().stream().allMatch(offset -> offset == 0);
                });
    }

    private boolean consumedEverything() throws Exception {
        Map<TopicPartition, Long> committed = committedOffsets();
        return endOffsets().entrySet().stream()
                .allMatch(end -> committed.getOrDefault(end.getKey(), 0L).equals(end.getValue()));
    }

    private Map<TopicPartition, Long> committedOffsets() throws Exception {
        return this.admin
                .listConsumerGroupOffsets(KafkaEventsConfiguration.LISTENER_ID)
                .partitionsToOffsetAndMetadata()
                .get()
                .entrySet()
                .stream()
                .filter(entry -> entry.getValue() != null)
                .collect(Collectors.toMap(
                        Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = this.admin
                .describeTopics(List.of(KafkaEventsConfiguration.TOPIC))
                .allTopicNames()
                .get()
                .get(KafkaEventsConfiguration.TOPIC)
                .partitions()
                .stream()
                .collect(Collectors.toMap(
                        partition -> new TopicPartition(KafkaEventsConfiguration.TOPIC, partition.partition()),
                        partition -> OffsetSpec.latest()));
        return this.admin.listOffsets(partitions).all().get().entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, entry -> entry.getValue().offset()));
    }
}
