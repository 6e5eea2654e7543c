package io.github.idempotency.store.jdbc;

import io.github.idempotency.engine.StoreOutageLog;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * Deletes the expired records of a {@link JdbcIdempotencyStore} at a fixed interval, on a daemon thread of its
 * own, so the application needs no scheduler. Runs while the application context runs: the first purge comes
 * one interval after the start. A purge that fails is logged at {@code WARN} and the next one runs as planned;
 * while purges keep failing, a {@link StoreOutageLog} keeps the log to a line per failure at most, with one
 * stack trace per outage.
 *
 * <p>Every instance sharing the table may run one: concurrent purges are harmless, a row deleted by one is
 * skipped by the others.
 */
public class JdbcIdempotencyStorePurger implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(JdbcIdempotencyStorePurger.class);

    /** How long {@link #stop()} waits for a purge in progress to end before interrupting it. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final JdbcIdempotencyStore store;

    private final Duration interval;

    private final int batchSize;

    private final Object monitor = new Object();

    private final StoreOutageLog outageLog = new StoreOutageLog(logger, "Purge of expired idempotency records");

    private ScheduledExecutorService executor;

    /**
     * Creates a purger; it does nothing until {@linkplain #start() started}.
     * @param store the store whose expired records are deleted
     * @param interval the time from the end of one purge to the start of the next, positive
     * @param batchSize the most rows one delete statement removes
     */
    public JdbcIdempotencyStorePurger(JdbcIdempotencyStore store, Duration interval, int batchSize) {
        Assert.notNull(store, "'store' must not be null");
        Assert.isTrue(interval != null && interval.toMillis() > 0, "'interval' must be at least a millisecond");
        Assert.isTrue(batchSize > 0, "'batchSize' must be positive");
        this.store = store;
        this.interval = interval;
        this.batchSize = batchSize;
    }

    /**
     * Starts purging every interval on a new daemon thread. Does nothing when already running.
     */
    @Override
    public void start() {
        synchronized (this.monitor) {
            if (this.executor != null) {
                return;
            }
            CustomizableThreadFactory threads = new CustomizableThreadFactory("idempotency-purge-");
            // A purge must never keep the JVM alive, nor delay its exit.
            threads.setDaemon(true);
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            long millis = this.interval.toMillis();
            executor.scheduleWithFixedDelay(this::purge, millis, millis, TimeUnit.MILLISECONDS);
            this.executor = executor;
        }
    }

    /**
     * Stops purging: no purge starts after this returns, and one in progress is waited for a few seconds,
     * then interrupted. Does nothing when not running.
     */
    @Override
    public void stop() {
        ScheduledExecutorService executor;
        synchronized (this.monitor) {
            executor = this.executor;
            this.executor = null;
        }
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException ex) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns whether purges are scheduled.
     * @return {@code true} between {@link #start()} and {@link #stop()}
     */
    @Override
    public boolean isRunning() {
        synchronized (this.monitor) {
            return this.executor != null;
        }
    }

    /**
     * Deletes the expired records now, on the calling thread; what every scheduled run does. A failure is
     * logged, not thrown, so that the schedule goes on.
     * @return how many records were deleted, or {@code -1} if the purge failed
     */
    public int purge() {
        try {
            int deleted = this.store.purgeExpired(this.batchSize);
            this.outageLog.success();
            if (deleted > 0 && logger.isDebugEnabled()) {
                logger.debug("Purged " + deleted + " expired idempotency records");
            }
            return deleted;
        } catch (RuntimeException ex) {
            // An uncaught exception would silently cancel every later run of the schedule.
            this.outageLog.failure(ex);
            return -1;
        }
    }
}
