package io.github.idempotency.engine;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Keeps the claims of running operations alive: every half lease, it renews the lease of each claim still
 * held, so a slow but live request or method call is never taken over. An operation that finishes within
 * half a lease costs no store call at all.
 *
 * <p>Renewals that fail because the store cannot be reached go to one {@link StoreOutageLog}: during an
 * outage the log gets a few lines, not a stack trace per running operation and half lease.
 */
public class LeaseRenewer implements DisposableBean {

    private static final Log logger = LogFactory.getLog(LeaseRenewer.class);

    /** Period of the no-op that keeps the queue's head: shorter than half of any lease of 2 seconds or more. */
    private static final long QUEUE_HEAD_PERIOD_MILLIS = 1000;

    private final ScheduledThreadPoolExecutor scheduler;

    private final StoreOutageLog outageLog =
            new StoreOutageLog(logger, "Renewing the leases of running idempotent operations");

    /**
     * Creates a renewer with its own daemon thread.
     */
    public LeaseRenewer() {
        this.scheduler = new ScheduledThreadPoolExecutor(1, (runnable) -> {
            Thread thread = new Thread(runnable, "idempotency-lease-renewer");
            thread.setDaemon(true);
            return thread;
        });
        // Most operations finish long before their first renewal: don't keep their cancelled tasks queued.
        this.scheduler.setRemoveOnCancelPolicy(true);
        // The queue wakes its thread whenever a new task becomes its head, which in an otherwise empty queue
        // is every operation's renewal: a thread wake-up per operation (most of the starter's in-process time
        // in the benchmark). A no-op that always comes due sooner than a renewal keeps the head instead.
        this.scheduler.scheduleAtFixedRate(() -> {}, 0, QUEUE_HEAD_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts renewing a claim every half lease until the returned renewal is cancelled or the claim is lost.
     * @param store the store holding the claim
     * @param key the claimed key
     * @param token the claim's token
     * @param lease the lease to renew to each time
     * @return a handle that stops the renewals
     */
    public Renewal start(IdempotencyStore store, IdempotencyKey key, ClaimToken token, Duration lease) {
        long period = Math.max(1, lease.toMillis() / 2);
        RenewalTask task = new RenewalTask(store, key, token, lease);
        task.future = this.scheduler.scheduleAtFixedRate(task, period, period, TimeUnit.MILLISECONDS);
        return task;
    }

    /**
     * Returns how many claims are being renewed now.
     * @return the number of renewals scheduled
     */
    public int activeRenewals() {
        // Less the no-op that keeps the head.
        return Math.max(0, this.scheduler.getQueue().size() - 1);
    }

    @Override
    public void destroy() {
        this.scheduler.shutdownNow();
    }

    /**
     * Renewals of one claim.
     */
    @FunctionalInterface
    public interface Renewal {

        /**
         * Stops renewing; a renewal already running finishes.
         */
        void cancel();
    }

    private final class RenewalTask implements Runnable, Renewal {

        private final IdempotencyStore store;

        private final IdempotencyKey key;

        private final ClaimToken token;

        private final Duration lease;

        private volatile ScheduledFuture<?> future;

        RenewalTask(IdempotencyStore store, IdempotencyKey key, ClaimToken token, Duration lease) {
            this.store = store;
            this.key = key;
            this.token = token;
            this.lease = lease;
        }

        @Override
        public void run() {
            boolean renewed;
            try {
                renewed = this.store.renew(this.key, this.token, this.lease);
            } catch (IdempotencyStoreException ex) {
                // Keep trying: the lease may still be renewed before it runs out.
                outageLog.failure(ex);
                return;
            }
            outageLog.success();
            if (!renewed && !isCancelled()) {
                logger.warn("Lost the claim on idempotency key '" + this.key.key()
                        + "' while its operation runs: the lease expired and another caller took it over");
                cancel();
            }
        }

        /**
         * Whether renewing was stopped: the operation ended (its execution stops renewing before it completes
         * or releases the key), so a renewal running meanwhile is refused for that reason, not a takeover.
         */
        private boolean isCancelled() {
            ScheduledFuture<?> scheduled = this.future;
            return scheduled != null && scheduled.isCancelled();
        }

        @Override
        public void cancel() {
            ScheduledFuture<?> scheduled = this.future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
