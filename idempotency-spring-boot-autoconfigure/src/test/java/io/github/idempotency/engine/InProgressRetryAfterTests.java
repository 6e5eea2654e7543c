package io.github.idempotency.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.store.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * How {@link InProgressRetryAfter} estimates when a refused duplicate should come back, on a clock the test
 * moves.
 */
class InProgressRetryAfterTests {

    private static final String CHARGE = "PaymentController#create(NewPayment)";

    private static final Duration LEASE_REMAINING = Duration.ofSeconds(59);

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private final InProgressRetryAfter retryAfter = InProgressRetryAfter.estimated(this.clock);

    @Test
    void retryAfterWhenNoCallEndedYetThenIsTheTimeAlreadySpentAtLeastASecond() {
        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ofMillis(500))))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ZERO))).isEqualTo(Duration.ofSeconds(1));
        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ofMillis(10_200))))
                .isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void retryAfterWhenCallsTookThreeSecondsThenIsTheirDurationLessTheTimeAlreadySpentRoundedUp() {
        endCallTaking(Duration.ofSeconds(3));

        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ofMillis(500))))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ofMillis(2_100))))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryAfterWhenRecentCallsDifferThenGoesByTheLongestButOne() {
        endCallTaking(Duration.ofSeconds(1));
        endCallTaking(Duration.ofSeconds(6));
        endCallTaking(Duration.ofSeconds(4));

        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ofSeconds(1))))
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterIgnoresASingleSlowCallSuchAsTheFirstAfterStartup() {
        endCallTaking(Duration.ofMillis(8_300));
        endCallTaking(Duration.ofSeconds(3));

        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ofMillis(500))))
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterWhenSlowCallsAreNoLongerAmongTheRecentOnesThenForgetsThem() {
        endCallTaking(Duration.ofSeconds(30));
        endCallTaking(Duration.ofSeconds(30));
        for (int i = 0; i < InProgressRetryAfter.HISTORY - 2; i++) {
            endCallTaking(Duration.ofSeconds(2));
        }
        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ZERO))).isEqualTo(Duration.ofSeconds(30));

        endCallTaking(Duration.ofSeconds(2));

        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ZERO))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterWhenRunningCallTookLongerThanRecentOnesThenIsTheTimeAlreadySpent() {
        endCallTaking(Duration.ofSeconds(3));

        assertThat(this.retryAfter.retryAfter(CHARGE, heldFor(Duration.ofMillis(4_500))))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterIsNeverBeyondTheLeaseRemainder() {
        endCallTaking(Duration.ofSeconds(90));

        assertThat(this.retryAfter.retryAfter(
                        CHARGE, new ClaimResult.InProgress(Duration.ofMillis(41_500), Duration.ofSeconds(10))))
                .isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void retryAfterWhenLeaseExpiredUnderBlockThenIsOneSecond() {
        endCallTaking(Duration.ofSeconds(3));

        assertThat(this.retryAfter.retryAfter(CHARGE, new ClaimResult.InProgress(Duration.ZERO, Duration.ofHours(2))))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryAfterOfOneOperationIgnoresTheDurationsOfAnother() {
        endCallTaking(Duration.ofSeconds(20));

        assertThat(this.retryAfter.retryAfter("RefundController#create(NewRefund)", heldFor(Duration.ofSeconds(2))))
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterWhenFixedThenIsTheFixedValueWhateverTheHistory() {
        InProgressRetryAfter fixed = InProgressRetryAfter.fixed(Duration.ofSeconds(7));
        fixed.ended(CHARGE, fixed.started());

        assertThat(fixed.retryAfter(CHARGE, heldFor(Duration.ofSeconds(50)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(fixed.retryAfter(CHARGE, new ClaimResult.InProgress(Duration.ZERO, Duration.ZERO)))
                .isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void fixedRoundsAFractionOfASecondUpAndRefusesLessThanASecond() {
        assertThat(InProgressRetryAfter.fixed(Duration.ofMillis(1_500)).retryAfter(CHARGE, heldFor(Duration.ZERO)))
                .isEqualTo(Duration.ofSeconds(2));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InProgressRetryAfter.fixed(Duration.ofMillis(999)))
                .withMessageContaining("at least a second");
    }

    private void endCallTaking(Duration duration) {
        long started = this.retryAfter.started();
        this.clock.advance(duration);
        this.retryAfter.ended(CHARGE, started);
    }

    private static ClaimResult.InProgress heldFor(Duration held) {
        return new ClaimResult.InProgress(LEASE_REMAINING, held);
    }
}
