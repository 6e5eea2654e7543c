package io.github.idempotency.bench;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts store round trips (JDBC statements, commits and rollbacks; Redis commands), of them the JDBC
 * commits, handler runs and
 * requests served, and keeps the distributions of the time each request spent in the server and in store
 * calls, so that a benchmark run can tell the round trips and handler runs per request, and where a
 * request's time goes apart from the load generator and the network.
 */
public class BenchCounters {

    private final LongAdder roundTrips = new LongAdder();

    private final LongAdder commits = new LongAdder();

    private final LongAdder handlerRuns = new LongAdder();

    private final LongAdder requests = new LongAdder();

    private final Distribution serverTimes = new Distribution();

    private final Distribution storeTimes = new Distribution();

    /** The store time of the request the thread serves, summed over its store calls. */
    private final ThreadLocal<long[]> requestStoreNanos = ThreadLocal.withInitial(() -> new long[1]);

    void roundTrip() {
        this.roundTrips.increment();
    }

    void commit() {
        this.commits.increment();
    }

    void handlerRan() {
        this.handlerRuns.increment();
    }

    void storeCall(long nanos) {
        this.requestStoreNanos.get()[0] += nanos;
    }

    /**
     * Counts a request as served, on the thread that served it.
     * @param nanos how long it took, from entering the outermost filter to leaving it
     */
    void requestServed(long nanos) {
        this.requests.increment();
        this.serverTimes.add(nanos);
        long[] storeNanos = this.requestStoreNanos.get();
        if (storeNanos[0] > 0) {
            this.storeTimes.add(storeNanos[0]);
            storeNanos[0] = 0;
        }
    }

    /**
     * Returns the counts since the previous call and starts counting again.
     * @return round trips, handler runs, requests and the median times
     */
    public Snapshot takeSnapshot() {
        return new Snapshot(
                this.roundTrips.sumThenReset(),
                this.commits.sumThenReset(),
                this.handlerRuns.sumThenReset(),
                this.requests.sumThenReset(),
                this.serverTimes.takeMedianMicros(),
                this.storeTimes.takeMedianMicros());
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
     * @param commits explicit JDBC commits, each also a round trip (a statement in auto-commit mode commits
     * on its own, and counts only as a statement)
     * @param handlerRuns runs of the order handler
     * @param requests requests to {@code /orders} answered, which wrk's count leaves out when they are in
     * flight as it stops
     * @param serverP50Micros median time a request spent in the server, from entering its outermost filter to
     * leaving it, in microseconds; 0 without requests
     * @param storeP50Micros median time a request spent in the store's calls (the starter's, or the by-hand
     * work's), over the requests that made any, in microseconds; 0 when none did
     */
    public record Snapshot(
            long roundTrips,
            long commits,
            long handlerRuns,
            long requests,
            long serverP50Micros,
            long storeP50Micros) {}

    /**
     * Durations counted in 2 µs buckets up to 100 ms; a longer one counts in the last.
     */
    private static final class Distribution {

        private static final int BUCKET_MICROS = 2;

        private static final int BUCKETS = 50_000;

        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

        void add(long nanos) {
            this.counts.incrementAndGet((int) Math.min(BUCKETS - 1, nanos / 1000 / BUCKET_MICROS));
        }

        /** The middle of the bucket holding the median, or 0 when nothing was counted; then starts again. */
        long takeMedianMicros() {
            long[] taken = new long[BUCKETS];
            long total = 0;
            for (int bucket = 0; bucket < BUCKETS; bucket++) {
                taken[bucket] = this.counts.getAndSet(bucket, 0);
                total += taken[bucket];
            }
            long seen = 0;
            for (int bucket = 0; bucket < BUCKETS && total > 0; bucket++) {
                seen += taken[bucket];
                if (seen * 2 >= total) {
                    return (long) bucket * BUCKET_MICROS + BUCKET_MICROS / 2;
                }
            }
            return 0;
        }
    }
}
