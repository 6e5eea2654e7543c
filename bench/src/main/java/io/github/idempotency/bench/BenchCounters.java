package io.github.idempotency.bench;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts store round trips (JDBC statements, commits and rollbacks; Redis commands), handler runs and
 * requests served, so that a benchmark run can tell the round trips and handler runs per request.
 */
public class BenchCounters {

    private final LongAdder roundTrips = new LongAdder();

    private final LongAdder handlerRuns = new LongAdder();

    private final LongAdder requests = new LongAdder();

    void roundTrip() {
        this.roundTrips.increment();
    }

    void handlerRan() {
        this.handlerRuns.increment();
    }

    void requestServed() {
        this.requests.increment();
    }

    /**
     * Returns the counts since the previous call and starts counting again.
     * @return round trips and handler runs
     */
    public Snapshot takeSnapshot() {
        return new Snapshot(
                this.roundTrips.sumThenReset(), this.handlerRuns.sumThenReset(), this.requests.sumThenReset());
    }

    CommandListener redisCommandListener() {
        return new CommandListener() {

            @Override
            public void commandStarted(CommandStartedEvent event) {
                roundTrip();
            }
        };
    }

    /**
     * Counts over a stretch of time.
     *
     * @param roundTrips store round trips
     * @param handlerRuns runs of the order handler
     * @param requests requests to {@code /orders} answered, which wrk's count leaves out when they are in
     * flight as it stops
     */
    public record Snapshot(long roundTrips, long handlerRuns, long requests) {}
}
