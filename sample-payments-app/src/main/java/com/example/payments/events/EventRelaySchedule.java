package com.example.payments.events;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs the {@link EventRelay} while the application runs: a batch every poll interval, counted from the end of
 * the previous one. Stopping it, at shutdown or when Spring's test framework pauses a cached context, schedules
 * no more batches and waits for the one in progress. A batch cut short would only be delivered again; but a
 * batch that comes due in a stopped (paused) Spring scheduler waits in it, and a later shutdown that waits for
 * the scheduler's tasks would wait its whole period.
 */
public class EventRelaySchedule implements SmartLifecycle {

    private final Runnable batch;

    private final TaskScheduler scheduler;

    private final Duration interval;

    /** Held by the batch in progress; stopping takes it to wait for that batch. */
    private final Lock inProgress = new ReentrantLock();

    // Read under the batch lock by a batch about to run, so that none runs once stop() has returned.
    private volatile boolean running;

    private ScheduledFuture<?> schedule;

    /**
     * Creates a schedule; it starts with the application context.
     * @param batch relays one batch ({@link EventRelay#poll()})
     * @param scheduler the scheduler whose thread runs the batches
     * @param interval the time between the end of one batch and the start of the next
     */
    public EventRelaySchedule(Runnable batch, TaskScheduler scheduler, Duration interval) {
        this.batch = batch;
        this.scheduler = scheduler;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (this.schedule == null) {
            this.running = true;
            this.schedule = this.scheduler.scheduleWithFixedDelay(this::relayBatch, this.interval);
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (this.schedule == null) {
                return;
            }
            this.running = false;
            this.schedule.cancel(false);
            this.schedule = null;
        }
        // The batch in progress finishes: its deliveries are bounded by the relay's delivery timeout.
        this.inProgress.lock();
        this.inProgress.unlock();
    }

    @Override
    public synchronized boolean isRunning() {
        return this.schedule != null;
    }

    private void relayBatch() {
        this.inProgress.lock();
        try {
            if (this.running) {
                this.batch.run();
            }
        } finally {
            this.inProgress.unlock();
        }
    }
}
