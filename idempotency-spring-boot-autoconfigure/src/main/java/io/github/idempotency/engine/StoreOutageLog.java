package io.github.idempotency.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.apache.commons.logging.Log;
import org.springframework.util.Assert;

/**
 * Logs the failures of a store the way an operator can read them during an outage: a few lines, not one
 * stack trace per refused request. Whoever calls the store reports every failure to {@link #failure} and
 * every answer to {@link #success}; this log then writes
 * <ul>
 * <li>the first failure of an outage at {@code WARN}, with its stack trace;</li>
 * <li>while the failures go on, at most one {@code WARN} line per interval, with the number of failures
 * since the previous line and the last failure's message;</li>
 * <li>one {@code INFO} line when the store answers again ("is back"), with the number of failures and how long the
 * outage lasted.</li>
 * </ul>
 * <p>A store that flaps (answers, fails, answers...) would start and end an outage per request: an outage
 * that begins less than an interval after the previous line is counted without a line of its own, and its
 * failures are reported by the next line. So whatever the pattern of failures, two lines about failures are
 * at least an interval apart, and each is followed by at most one line about a recovery.
 *
 * <p>Thread-safe. When no outage is on, {@link #success} is one volatile read; the other paths take a lock,
 * which during an outage only requests that fail anyway contend for.
 */
public final class StoreOutageLog {

    /** Interval of the constructor that takes none. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final long NEVER = Long.MIN_VALUE;

    private final Log logger;

    private final String subject;

    private final long intervalMillis;

    private final Clock clock;

    /** Whether an outage is on: the only state the success path reads when the store is healthy. */
    private volatile boolean failing;

    private final Object lock = new Object();

    private long outageStartedAt;

    private long outageFailures;

    /** Whether a line was logged for the current outage, so that its end deserves one too. */
    private boolean outageReported;

    /** Failures that no line has counted yet. */
    private long unreportedFailures;

    private long lastLineAt = NEVER;

    /**
     * Creates a log that writes at most one line per {@link #DEFAULT_INTERVAL} during an outage, timed by
     * the system clock.
     * @param logger where the lines go
     * @param subject what fails, the start of every line, such as {@code "Idempotency store"}
     */
    public StoreOutageLog(Log logger, String subject) {
        this(logger, subject, DEFAULT_INTERVAL, Clock.systemUTC());
    }

    /**
     * Creates a log.
     * @param logger where the lines go
     * @param subject what fails, the start of every line, such as {@code "Idempotency store"}
     * @param interval the least time between two lines about failures of one outage, positive
     * @param clock source of the time
     */
    public StoreOutageLog(Log logger, String subject, Duration interval, Clock clock) {
        Assert.notNull(logger, "'logger' must not be null");
        Assert.hasText(subject, "'subject' must not be empty");
        Assert.isTrue(interval != null && interval.toMillis() > 0, "'interval' must be at least a millisecond");
        Assert.notNull(clock, "'clock' must not be null");
        this.logger = logger;
        this.subject = subject;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
    }

    /**
     * Reports that a call to the store failed.
     * @param failure what the store threw
     */
    public void failure(Throwable failure) {
        Assert.notNull(failure, "'failure' must not be null");
        synchronized (this.lock) {
            long now = this.clock.millis();
            if (!this.failing) {
                this.failing = true;
                this.outageStartedAt = now;
                this.outageFailures = 0;
                this.outageReported = false;
            }
            this.outageFailures++;
            this.unreportedFailures++;
            if (this.lastLineAt != NEVER && now - this.lastLineAt < this.intervalMillis) {
                return;
            }
            if (this.outageReported) {
                this.logger.warn(this.subject + " is still failing: " + failures(this.unreportedFailures)
                        + " in the last "
                        + format(now - this.lastLineAt) + " (" + this.outageFailures + " since it began failing "
                        + format(now - this.outageStartedAt) + " ago); the last: " + failure);
            } else {
                logOutageStart(failure);
            }
            this.lastLineAt = now;
            this.unreportedFailures = 0;
        }
    }

    /**
     * Reports that the store answered. Ends the outage, if one is on.
     */
    public void success() {
        if (!this.failing) {
            return;
        }
        synchronized (this.lock) {
            if (!this.failing) {
                return;
            }
            this.failing = false;
            if (this.outageReported) {
                long now = this.clock.millis();
                this.logger.info(this.subject + " is back after " + failures(this.outageFailures) + " over "
                        + format(now - this.outageStartedAt));
                this.lastLineAt = now;
                this.unreportedFailures = 0;
            }
            // Failures of an outage too short to be reported stay counted for the next line.
        }
    }

    private void logOutageStart(Throwable failure) {
        String earlier = (this.unreportedFailures > 1)
                ? " (" + failures(this.unreportedFailures) + " since the last report)"
                : "";
        // Lines are an interval apart, so this stack trace is the only one in its interval.
        this.logger.warn(
                this.subject + " is failing" + earlier + ": " + failure
                        + "; further failures are counted and logged at most once every "
                        + format(this.intervalMillis),
                failure);
        this.outageReported = true;
    }

    private static String failures(long count) {
        return count + ((count == 1) ? " failure" : " failures");
    }

    private static String format(long millis) {
        // PT2M13.5S reads as 2m13.5s
        return Duration.ofMillis(millis)
                .truncatedTo(ChronoUnit.MILLIS)
                .toString()
                .substring(2)
                .toLowerCase();
    }
}
