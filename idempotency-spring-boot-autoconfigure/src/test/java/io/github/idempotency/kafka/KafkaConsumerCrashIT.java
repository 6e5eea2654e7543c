package io.github.idempotency.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.ClaimResult;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaInitializer;
import io.github.idempotency.store.redis.RedisIdempotencyStore;
import io.github.idempotency.testsupport.PostgresTestDatabase;
import io.github.idempotency.testsupport.RedisTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Kills a consumer JVM with SIGKILL while its {@code @Idempotent} {@code @KafkaListener} is inside its
 * transaction, after writing its ledger row and before committing, so that the event's offset is never
 * committed and the group's other consumer gets it again; the event then has its effect exactly once.
 *
 * <ul>
 * <li><b>JDBC store, joined transaction</b>: the claim died with the transaction, so the other consumer
 * processes the redelivered event at once, never told that it is in progress.</li>
 * <li><b>Redis store, lease</b>: the claim outlives the consumer, so the other consumer is refused with
 * {@code IdempotencyInProgressException} (and its container redelivers) until the lease expires, then takes
 * the key over and processes the event.</li>
 * </ul>
 *
 * <p>Each mode has a topic of two partitions, consumed by a group of two {@link LedgerConsumerApplication}
 * JVMs, all four started side by side when the class starts: the victim holds partition 0, where the event is
 * published; the survivor holds partition 1 until the victim dies, then both. The survivor runs before the
 * crash, so that the time the key stays blocked is the store's, not a JVM's start-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaConsumerCrashIT {

    // Renewed every half lease until the kill, so that 4 to 8 s are left: time for the group to give the
    // survivor the partition and for it to be refused at least once, on a loaded machine too.
    private static final Duration LEASE = Duration.ofSeconds(8);

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final String IN_PROGRESS = "IdempotencyInProgressException";

    private final KafkaTestBroker broker = KafkaTestBroker.shared();

    private final String keyPrefix = "idempotency-kafka-crash:" + UUID.randomUUID() + ":";

    private final String recordTable = PostgresTestDatabase.uniqueName("idempotency_kafka_crash");

    private final String ledgerTable = PostgresTestDatabase.uniqueName("kafka_crash_ledger");

    private final Map<Mode, Group> groups = new EnumMap<>(Mode.class);

    private final List<ConsumerProcess> consumers = new ArrayList<>();

    private HikariDataSource dataSource;

    private LettuceConnectionFactory redis;

    /**
     * Where a consumer keeps its keys, and so how its claim is held.
     */
    enum Mode {
        JDBC_JOINED,
        REDIS_LEASE
    }

    /**
     * A topic and the two consumers of its group.
     */
    private record Group(String topic, ConsumerProcess victim, ConsumerProcess survivor) {}

    @BeforeAll
    void startConsumers() {
        this.dataSource = PostgresTestDatabase.createDataSource(2);
        new JdbcIdempotencySchemaInitializer(this.dataSource, this.recordTable, DatabaseInitializationMode.ALWAYS)
                .initializeDatabase();
        // No unique constraint on the event id: a second effect must show, not fail.
        jdbc().execute("CREATE TABLE " + this.ledgerTable + " (event_id VARCHAR(64) NOT NULL, amount BIGINT NOT NULL)");
        this.redis = RedisTestServer.connectionFactory();
        for (Mode mode : Mode.values()) {
            String topic = this.broker.createTopic(2);
            String group = "ledger-" + UUID.randomUUID();
            // Named so that the victim sorts first: the range assignor gives it partition 0.
            ConsumerProcess victim = start(mode, "a-victim", topic, group, true);
            ConsumerProcess survivor = start(mode, "b-survivor", topic, group, false);
            this.groups.put(mode, new Group(topic, victim, survivor));
        }
    }

    @AfterAll
    void stopConsumers() {
        this.consumers.forEach(ConsumerProcess::close);
        if (this.redis != null) {
            RedisTestServer.deleteKeys(this.redis, this.keyPrefix);
            this.redis.destroy();
        }
        if (this.dataSource != null) {
            jdbc().execute("DROP TABLE IF EXISTS " + this.recordTable);
            jdbc().execute("DROP TABLE IF EXISTS " + this.ledgerTable);
            this.dataSource.close();
        }
    }

    @Test
    void consumerKilledInItsJoinedTransactionLeavesNoClaimSoTheRedeliveryIsProcessedAtOnce() throws Exception {
        Group group = this.groups.get(Mode.JDBC_JOINED);
        String eventId = crashMidListener(group);

        awaitProcessed(group.survivor(), eventId);

        assertThat(outcomes(group.survivor(), eventId))
                .as("deliveries of the event to the survivor")
                .containsExactly(Deliveries.SUCCEEDED);
        assertEffectOnceAfterTwoRuns(group, eventId);
        assertThat(jdbc().queryForList(
                                "SELECT status FROM " + this.recordTable + " WHERE idempotency_key = ?",
                                String.class,
                                eventId))
                .containsExactly("COMPLETED");
    }

    @Test
    void consumerKilledHoldingALeaseBlocksTheRedeliveryUntilTheLeaseExpiresThenItIsProcessedOnce() throws Exception {
        Group group = this.groups.get(Mode.REDIS_LEASE);
        RedisIdempotencyStore store =
                new RedisIdempotencyStore(this.redis, this.keyPrefix, ExpiredLeasePolicy.TAKE_OVER, LEASE);
        String eventId = crashMidListener(group);
        long killedAt = System.currentTimeMillis();
        // A claim of a key in progress changes nothing; it tells how long the dead consumer's lease has left,
        // so that the lease ended between these two times and the remaining time.
        long before = System.currentTimeMillis();
        ClaimResult left = store.claim(key(eventId), "-", LEASE);
        long after = System.currentTimeMillis();
        assertThat(left).as("the key after the crash").isInstanceOf(ClaimResult.InProgress.class);
        long remaining = ((ClaimResult.InProgress) left).leaseRemaining().toMillis();

        awaitProcessed(group.survivor(), eventId);

        List<String> outcomes = outcomes(group.survivor(), eventId);
        assertThat(outcomes)
                .as("deliveries of the event to the survivor: refused until the lease expired, then processed")
                .hasSizeGreaterThan(1)
                .endsWith(Deliveries.SUCCEEDED);
        assertThat(outcomes.subList(0, outcomes.size() - 1)).containsOnly(IN_PROGRESS);
        String reports = "killed at " + killedAt + ", survivor's reports "
                + group.survivor().reports("");
        long firstRefusal =
                reports(group.survivor(), "delivered " + eventId).get(0).at();
        assertThat(firstRefusal)
                .as("first refusal, before the lease ended at %d at the latest (%s)", after + remaining, reports)
                .isLessThanOrEqualTo(after + remaining);
        // The survivor could claim the key only once the lease had expired; the upper bound allows for the
        // container's backoff between redeliveries and a loaded machine.
        long processed = reports(group.survivor(), "wrote " + eventId).get(0).at();
        assertThat(processed)
                .as(
                        "the survivor's write, after the lease ended at %d at the earliest (%s)",
                        before + remaining, reports)
                .isGreaterThanOrEqualTo(before + remaining)
                .isLessThan(after + remaining + Duration.ofSeconds(15).toMillis());
        assertEffectOnceAfterTwoRuns(group, eventId);
        assertThat(store.claim(key(eventId), "-", LEASE)).isInstanceOf(ClaimResult.Completed.class);
    }

    /**
     * Waits until both consumers of the group have their partitions and have processed an event each, then
     * publishes an event to the victim and kills it with SIGKILL as soon as it has written its ledger row.
     * @return the event's id
     */
    private String crashMidListener(Group group) throws InterruptedException {
        group.victim().awaitAssigned(List.of(0), START_TIMEOUT);
        group.survivor().awaitAssigned(List.of(1), START_TIMEOUT);
        // Warm both up, so that the first event's class loading and connections do not count.
        for (int partition = 0; partition < 2; partition++) {
            String warmUp = "warm-up-" + UUID.randomUUID();
            this.broker.publish(group.topic(), partition, new PaymentEvent(warmUp, 1));
            awaitProcessed((partition == 0) ? group.victim() : group.survivor(), warmUp);
        }
        String eventId = LedgerConsumerApplication.CRASH_EVENT_PREFIX + UUID.randomUUID();
        this.broker.publish(group.topic(), 0, new PaymentEvent(eventId, 100));
        group.victim().awaitReport(("wrote " + eventId)::equals, "its ledger row", TIMEOUT);

        assertThat(group.victim().kill()).as("exit status of the victim").isEqualTo(ConsumerProcess.SIGKILL_STATUS);
        assertThat(reports(group.victim(), "delivered " + eventId))
                .as("deliveries the victim finished")
                .isEmpty();
        return eventId;
    }

    private void awaitProcessed(ConsumerProcess consumer, String eventId) throws InterruptedException {
        String succeeded = "delivered " + eventId + " " + Deliveries.SUCCEEDED;
        consumer.awaitReport(succeeded::equals, "'" + succeeded + "'", TIMEOUT);
    }

    /**
     * Asserts that the listener ran for the event in both consumers, and that only the survivor's ledger row
     * stands: the victim's died uncommitted with it.
     */
    private void assertEffectOnceAfterTwoRuns(Group group, String eventId) {
        assertThat(reports(group.victim(), "wrote " + eventId))
                .as("rows the victim wrote")
                .hasSize(1);
        assertThat(reports(group.survivor(), "wrote " + eventId))
                .as("rows the survivor wrote")
                .hasSize(1);
        assertThat(jdbc().queryForObject(
                                "SELECT count(*) FROM " + this.ledgerTable + " WHERE event_id = ?",
                                Integer.class,
                                eventId))
                .as("ledger rows of the event")
                .isEqualTo(1);
    }

    private static List<String> outcomes(ConsumerProcess consumer, String eventId) {
        String start = "delivered " + eventId + " ";
        return reports(consumer, start).stream()
                .map((line) -> line.text().substring(start.length()))
                .toList();
    }

    private static List<ConsumerProcess.Line> reports(ConsumerProcess consumer, String start) {
        return consumer.reports(start);
    }

    private static IdempotencyKey key(String eventId) {
        return new IdempotencyKey("method:ledger", eventId);
    }

    private ConsumerProcess start(Mode mode, String role, String topic, String group, boolean hang) {
        PostgresTestDatabase.ConnectionDetails postgres = PostgresTestDatabase.connectionDetails();
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers(),
                "--spring.kafka.consumer.client-id=" + role,
                "--spring.kafka.consumer.auto-offset-reset=earliest",
                "--spring.kafka.consumer.properties.partition.assignment.strategy="
                        + "org.apache.kafka.clients.consumer.RangeAssignor",
                // A killed consumer leaves the group after a second, rather than the default 45.
                "--spring.kafka.consumer.properties.session.timeout.ms=1000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=250",
                "--test.topic=" + topic,
                "--test.group=" + group,
                "--test.ledger-table=" + this.ledgerTable,
                "--test.hang-on-crash-events=" + hang,
                "--test.postgres.url=" + postgres.url(),
                "--idempotency.lease=" + LEASE.toMillis() + "ms"));
        if (postgres.username() != null) {
            arguments.add("--test.postgres.username=" + postgres.username());
        }
        // Secrets in the environment, not on a command line that any user of the machine can read.
        Map<String, String> environment = new HashMap<>();
        if (postgres.password() != null) {
            environment.put("TEST_POSTGRES_PASSWORD", postgres.password());
        }
        if (mode == Mode.JDBC_JOINED) {
            arguments.add("--idempotency.store.type=jdbc");
            arguments.add("--idempotency.jdbc.table-name=" + this.recordTable);
            arguments.add("--idempotency.jdbc.initialize-schema=never");
        } else {
            arguments.add("--idempotency.store.type=redis");
            arguments.add("--idempotency.redis.key-prefix=" + this.keyPrefix);
            environment.put("TEST_REDIS_URL", RedisTestServer.url());
        }
        String name = mode.name().toLowerCase(java.util.Locale.ROOT) + "-" + role;
        ConsumerProcess consumer = ConsumerProcess.start(name, logDirectory(), arguments, environment);
        this.consumers.add(consumer);
        return consumer;
    }

    private static Path logDirectory() {
        return Path.of("target", "kafka-consumer-crash");
    }

    private JdbcTemplate jdbc() {
        return new JdbcTemplate(this.dataSource);
    }
}
