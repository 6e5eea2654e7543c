package io.github.idempotency.engine;

import io.github.idempotency.ClaimResult;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.springframework.util.Assert;

/**
 * Tells a call refused as in progress when to come back: the {@code Retry-After} of a {@code 409}, and
 * {@link Admission.InProgress#retryAfter()} for the method front door.
 *
 * <p>Estimated, by default, from how long the operation's recent calls held their key (per
 * {@link IdempotentOperation#name()}, from claim to end: the longest but one of its last {@value #HISTORY}
 * calls, so that a single outlier such as the first call after startup does not lengthen every answer) less
 * how long the running call has held it already. With no history yet, or once the running call has taken
 * longer than any recent one, the estimate is the time it has run so far: a call that has run for 4 seconds is
 * expected to take about as long again, so a client that obeys the answers polls a long call ever less often.
 * The answer is in whole seconds, rounded up, at least 1 second, and never beyond the lease's remainder (after
 * which a dead claim can be taken over). A fixed value replaces the estimate where clients need one they can
 * predict.
 */
public final class InProgressRetryAfter {

    /** How many recent calls of an operation the estimate looks at. A power of two. */
    static final int HISTORY = 8;

    private static final long MIN_SECONDS = 1;

    private final Clock clock;

    private final Duration fixed;

    private final ConcurrentMap<String, RecentDurations> durations = new ConcurrentHashMap<>();

    private InProgressRetryAfter(Clock clock, Duration fixed) {
        this.clock = clock;
        this.fixed = fixed;
    }

    /**
     * Estimates the answer from the operations' recent durations.
     * @param clock source of the time calls start and end
     * @return the estimator
     */
    public static InProgressRetryAfter estimated(Clock clock) {
        Assert.notNull(clock, "'clock' must not be null");
        return new InProgressRetryAfter(clock, null);
    }

    /**
     * Answers every refused call with the same value.
     * @param retryAfter the answer, at least a second; a fraction of a second is rounded up
     * @return the fixed answer
     */
    public static InProgressRetryAfter fixed(Duration retryAfter) {
        Assert.isTrue(
                retryAfter != null && retryAfter.compareTo(Duration.ofSeconds(MIN_SECONDS)) >= 0,
                "'retryAfter' must be at least a second");
        return new InProgressRetryAfter(Clock.systemUTC(), Duration.ofSeconds(ceilSeconds(retryAfter.toMillis())));
    }

    /**
     * Returns when a claimed call starts, to be handed back to {@link #ended} when it ends.
     * @return the start time, in epoch milliseconds
     */
    long started() {
        return (this.fixed != null) ? 0 : this.clock.millis();
    }

    /**
     * Counts a call that held its key from {@code startTime} until now towards its operation's recent
     * durations.
     * @param operation the operation's name
     * @param startTime what {@link #started()} returned for the call
     */
    void ended(String operation, long startTime) {
        if (this.fixed != null) {
            return;
        }
        long duration = this.clock.millis() - startTime;
        if (duration >= 0) {
            this.durations
                    .computeIfAbsent(operation, (name) -> new RecentDurations())
                    .add(duration);
        }
    }

    /**
     * Returns when a call refused because another call of the operation holds the key should come back.
     * @param operation the operation's name
     * @param inProgress what the store said about the claim that holds the key
     * @return the answer, in whole seconds, at least one
     */
    Duration retryAfter(String operation, ClaimResult.InProgress inProgress) {
        if (this.fixed != null) {
            return this.fixed;
        }
        long held = inProgress.held().toMillis();
        RecentDurations recent = this.durations.get(operation);
        long typical = (recent != null) ? recent.longestButOne() : RecentDurations.NONE;
        long remaining = (typical > held) ? typical - held : held;
        long seconds = Math.min(
                ceilSeconds(remaining), ceilSeconds(inProgress.leaseRemaining().toMillis()));
        return Duration.ofSeconds(Math.max(MIN_SECONDS, seconds));
    }

    private static long ceilSeconds(long millis) {
        // Retry-After has no finer resolution; rounding down would send a client back too early.
        return (millis + 999) / 1000;
    }

    /**
     * The durations of an operation's last {@link #HISTORY} calls, in a ring that concurrent calls write
     * without a lock: a lost race overwrites one entry of a statistic that is an estimate anyway.
     */
    private static final class RecentDurations {

        static final long NONE = -1;

        private final AtomicLongArray millis = new AtomicLongArray(HISTORY);

        private final AtomicInteger next = new AtomicInteger();

        RecentDurations() {
            for (int i = 0; i < HISTORY; i++) {
                this.millis.set(i, NONE);
            }
        }

        void add(long duration) {
            // The mask keeps the index in the ring when the counter wraps around to negative values.
            this.millis.set(this.next.getAndIncrement() & (HISTORY - 1), duration);
        }

        /**
         * Returns the second longest duration, or the only one, or {@link #NONE}.
         */
        long longestButOne() {
            long longest = NONE;
            long second = NONE;
            for (int i = 0; i < HISTORY; i++) {
                long duration = this.millis.get(i);
                if (duration > longest) {
                    second = longest;
                    longest = duration;
                } else if (duration > second) {
                    second = duration;
                }
            }
            return (second != NONE) ? second : longest;
        }
    }
}
