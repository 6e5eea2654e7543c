package io.github.idempotency.bench;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts store round trips (JDBC statements, commits and rollbacks; Redis commands), handler runs and
 * requests served, and keeps the distribution of the time each request spent in store calls, so that a
 * benchmark run can tell the round trips and handler runs per request, and how long a request's store
 * calls take against the floor's loop.
 */
public class BenchCounters {

    /** Width of a bucket of the store time distribution. */
    private static final int BUCKET_MICROS = 2;

    /** Buckets up to 100 ms; a longer store time counts in the last. */
    private static final int BUCKETS = 50_000;

    private final LongAdder roundTrips = new LongAdder();

    private final LongAdder handlerRuns = new LongAdder();

    private final LongAdder requests = new LongAdder();

    private final AtomicLongArray storeTimes = new AtomicLongArray(BUCKETS);

    /** The store time of the request the thread serves, summed over its store calls. */
    private final ThreadLocal<long[]> requestStoreNanos = ThreadLocal.withInitial(() -> new long[1]);

    void roundTrip() {
        this.roundTrips.increment();
    }

    void handlerRan() {
        this.handlerRuns.increment();
    }

    void storeCall(long nanos) {
        this.requestStoreNanos.get()[0] += nanos;
    }

    void requestServed() {
        this.requests.increment();
        long[] storeNanos = this.requestStoreNanos.get();
        if (storeNanos[0] > 0) {
            int bucket = (int) Math.min(BUCKETS - 1, storeNanos[0] / 1000 / BUCKET_MICROS);
            this.storeTimes.incrementAndGet(bucket);
            storeNanos[0] = 0;
        }
    }

    /**
     * Returns the counts since the previous call and starts counting again.
     * @return round trips, handler runs, requests and the median store time
     */
    public Snapshot takeSnapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            counts[bucket] = this.storeTimes.getAndSet(bucket, 0);
            total += counts[bucket];
        }
        return new Snapshot(
                this.roundTrips.sumThenReset(),
                this.handlerRuns.sumThenReset(),
                this.requests.sumThenReset(),
                median(counts, total));
    }

    /** The middle of the bucket holding the median, or 0 without any request that called the store. */
    private static long median(long[] counts, long total) {
        long seen = 0;
        for (int bucket = 0; bucket < BUCKETS && total > 0; bucket++) {
            seen += counts[bucket];
            if (seen * 2 >= total) {
                return (long) bucket * BUCKET_MICROS + BUCKET_MICROS / 2;
            }
        }
        return 0;
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
     * @param storeP50Micros median time a request spent in the store's calls (the starter's, or the by-hand
     * work's), over the requests that made any, in microseconds; 0 when none did
     */
    public record Snapshot(long roundTrips, long handlerRuns, long requests, long storeP50Micros) {}
}
