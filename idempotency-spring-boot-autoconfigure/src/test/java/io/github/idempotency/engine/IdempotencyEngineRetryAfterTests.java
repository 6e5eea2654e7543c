package io.github.idempotency.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.store.MutableClock;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Admission.InProgress#retryAfter()} that the engine gives a duplicate, from the durations of the
 * operation's calls it saw end and the time the store says the running call has held its key.
 */
class IdempotencyEngineRetryAfterTests {

    private static final String CHARGE = "PaymentController#create(NewPayment)";

    private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private final LeaseRenewer leaseRenewer = new LeaseRenewer();

    private final IdempotencyEngine engine = new IdempotencyEngine(
            new InMemoryIdempotencyStore(this.clock, ExpiredLeasePolicy.TAKE_OVER, 100),
            this.leaseRenewer,
            null,
            Duration.ofSeconds(60),
            false,
            InProgressRetryAfter.estimated(this.clock),
            ObservationRegistry.NOOP);

    @AfterEach
    void stopRenewer() {
        this.leaseRenewer.destroy();
    }

    @Test
    void duplicateHalfASecondIntoAThreeSecondChargeComesBackInThreeSeconds() {
        IdempotentOperation earlier = charge();
        Execution execution = proceed(earlier);
        this.clock.advance(Duration.ofSeconds(3));
        execution.complete(StoredResponse.withoutBody(201, List.of()));

        IdempotentOperation running = charge();
        proceed(running);
        this.clock.advance(Duration.ofMillis(500));

        assertThat(this.engine.admit(running)).isEqualTo(new Admission.InProgress(Duration.ofSeconds(3)));
    }

    @Test
    void duplicateOfTheFirstChargeComesBackWhenItHasRunAsLongAgainAtLeastInASecond() {
        IdempotentOperation running = charge();
        proceed(running);
        this.clock.advance(Duration.ofMillis(500));

        assertThat(this.engine.admit(running)).isEqualTo(new Admission.InProgress(Duration.ofSeconds(1)));

        this.clock.advance(Duration.ofMillis(3_500));

        assertThat(this.engine.admit(running)).isEqualTo(new Admission.InProgress(Duration.ofSeconds(4)));
    }

    @Test
    void abandonedCallsCountTowardsTheDurationsLikeCompletedOnes() {
        Execution failed = proceed(charge());
        this.clock.advance(Duration.ofSeconds(8));
        failed.abandon();

        IdempotentOperation running = charge();
        proceed(running);
        this.clock.advance(Duration.ofSeconds(2));

        assertThat(this.engine.admit(running)).isEqualTo(new Admission.InProgress(Duration.ofSeconds(6)));
    }

    private Execution proceed(IdempotentOperation operation) {
        Admission admission = this.engine.admit(operation);
        assertThat(admission).isInstanceOf(Admission.Proceed.class);
        return ((Admission.Proceed) admission).execution();
    }

    private static IdempotentOperation charge() {
        return new IdempotentOperation(
                CHARGE,
                new IdempotencyKey("alice POST /payments", "key-" + UUID.randomUUID()),
                FINGERPRINT,
                Duration.ofHours(1),
                false);
    }
}
