package io.github.idempotency.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.Idempotent;
import io.github.idempotency.store.redis.RedisIdempotencyStore;
import io.github.idempotency.testsupport.RedisTestServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * {@link AbstractKafkaListenerIT} with the Redis store, whose claims are leases: the listener's effect is
 * counted in memory, and a copy processed while another consumer holds its key is refused as in progress,
 * then redelivered by the container's error handler and answered from the record.
 */
class RedisKafkaListenerIT extends AbstractKafkaListenerIT {

    private static final String KEY_PREFIX = "idempotency-kafka-test:" + UUID.randomUUID() + ":";

    private static LettuceConnectionFactory connectionFactory;

    private final Effects effects = new Effects();

    @BeforeAll
    static void connect() {
        connectionFactory = RedisTestServer.connectionFactory();
    }

    @AfterAll
    static void disconnect() {
        if (connectionFactory != null) {
            RedisTestServer.deleteKeys(connectionFactory, KEY_PREFIX);
            connectionFactory.destroy();
        }
    }

    @Override
    protected ApplicationContextRunner withStoreAndListener(ApplicationContextRunner runner) {
        // A connection of each context's own, which closing the context closes.
        return runner.withBean(RedisConnectionFactory.class, RedisTestServer::connectionFactory)
                .withBean(CountingListener.class, () -> new CountingListener(this.effects))
                .withPropertyValues("idempotency.store.type=redis", "idempotency.redis.key-prefix=" + KEY_PREFIX);
    }

    @Override
    protected int effects(String eventId) {
        return this.effects.of(eventId);
    }

    @Override
    protected void assertCompleted(String eventId) {
        // A claim of a completed key changes nothing and answers with the record.
        RedisIdempotencyStore store = new RedisIdempotencyStore(
                connectionFactory, KEY_PREFIX, ExpiredLeasePolicy.TAKE_OVER, Duration.ofHours(1));
        assertThat(store.claim(new IdempotencyKey("method:ledger", eventId), "-", Duration.ofMinutes(1)))
                .as("record of event %s", eventId)
                .isInstanceOf(ClaimResult.Completed.class);
    }

    /**
     * The effects of the listener, per event, kept apart from any consumer's context.
     */
    static final class Effects {

        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        void add(String eventId) {
            this.counts
                    .computeIfAbsent(eventId, (ignored) -> new AtomicInteger())
                    .incrementAndGet();
        }

        int of(String eventId) {
            AtomicInteger count = this.counts.get(eventId);
            return (count != null) ? count.get() : 0;
        }
    }

    /**
     * Counts one effect per payment event; its keys are named {@code ledger}.
     */
    public static class CountingListener {

        private final Effects effects;

        CountingListener(Effects effects) {
            this.effects = effects;
        }

        @KafkaListener(id = "ledger", topics = "${test.topic}", groupId = "${test.group}")
        @Idempotent(key = "#event.eventId", name = "ledger")
        public void onPaymentEvent(PaymentEvent event) {
            this.effects.add(event.eventId());
        }
    }
}
