package io.github.idempotency.kafka;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Kafka broker for the tests: spring-kafka-test's embedded KRaft broker, started once per test JVM on
 * first use and shared by the test classes (a start takes seconds), with a producer that publishes
 * {@link PaymentEvent}s as JSON. Each test takes topics and consumer groups of its own.
 */
final class KafkaTestBroker {

    private static final long TIMEOUT_SECONDS = 30;

    private static KafkaTestBroker shared;

    private final EmbeddedKafkaKraftBroker broker;

    private final KafkaProducer<String, String> producer;

    private KafkaTestBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new StringSerializer());
    }

    /**
     * Returns the broker, starting it on first use; it stops when the JVM ends.
     * @return the running broker
     */
    static synchronized KafkaTestBroker shared() {
        if (shared == null) {
            // The broker and its clients log every step at INFO: thousands of lines per test class.
            LoggingSystem logging = LoggingSystem.get(KafkaTestBroker.class.getClassLoader());
            for (String logger : List.of("org.apache.kafka", "kafka", "state.change.logger")) {
                logging.setLogLevel(logger, LogLevel.WARN);
            }
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
            broker.brokerProperties(Map.of(
                    // One partition instead of 50: the group coordinator is ready sooner.
                    "offsets.topic.num.partitions", "1",
                    // Lets a consumer whose JVM was killed be dropped from its group within a second.
                    "group.min.session.timeout.ms", "500"));
            broker.afterPropertiesSet();
            shared = new KafkaTestBroker(broker);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "kafka-test-broker-stopper"));
        }
        return shared;
    }

    /**
     * Returns where clients connect.
     * @return the bootstrap servers, {@code host:port}
     */
    String bootstrapServers() {
        return this.broker.getBrokersAsString();
    }

    /**
     * Creates a topic with a name no other test uses.
     * @param partitions how many partitions it has
     * @return its name
     */
    String createTopic(int partitions) {
        String name = "payments-" + UUID.randomUUID();
        this.broker.addTopics(new NewTopic(name, partitions, (short) 1));
        return name;
    }

    /**
     * Publishes an event to one partition of a topic and waits until the broker has it.
     * @param topic the topic
     * @param partition the partition
     * @param event the event, sent as JSON with its id as the key
     */
    void publish(String topic, int partition, PaymentEvent event) {
        String json = JsonMapper.shared().writeValueAsString(event);
        await(this.producer.send(new ProducerRecord<>(topic, partition, event.eventId(), json)), "publish " + event);
    }

    /**
     * Returns the offset a consumer group committed for the first partition of a topic.
     * @param group the consumer group
     * @param topic the topic
     * @return the committed offset, or empty when the group committed none
     */
    OptionalLong committedOffset(String group, String topic) {
        Map<TopicPartition, OffsetAndMetadata> offsets = this.broker.doWithAdminFunction((admin) -> await(
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                "read the offsets of group " + group));
        OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, 0));
        return (offset != null) ? OptionalLong.of(offset.offset()) : OptionalLong.empty();
    }

    private static <T> T await(Future<T> result, String what) {
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to " + what, ex);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Could not " + what, ex);
        }
    }

    private void stop() {
        this.producer.close();
        this.broker.destroy();
    }
}
