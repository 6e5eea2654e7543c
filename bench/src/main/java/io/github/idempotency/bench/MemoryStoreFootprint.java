package io.github.idempotency.bench;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Measures how much heap a completed record of the in-memory store takes, with the benchmark's response:
 * what {@code idempotency.memory.max-entries} costs, and what the garbage collector copies and marks for
 * every record a run keeps. Every record has its own key, scope, fingerprint, header values and body, as
 * requests would give it. Prints one {@code FOOTPRINT records=N body_bytes=B bytes_per_record=X} line.
 *
 * <p>Arguments: the number of records, 200000 by default.
 */
public final class MemoryStoreFootprint {

    private MemoryStoreFootprint() {}

    /**
     * Runs the measurement.
     * @param args the number of records, optionally
     */
    public static void main(String[] args) {
        measure((args.length > 0) ? Integer.parseInt(args[0]) : 200_000, System.out);
    }

    /**
     * Fills a store with completed records and prints the heap they take per record.
     * @param records how many records to keep
     * @param out where the result line goes
     */
    static void measure(int records, PrintStream out) {
        StoredResponse template = FloorHarness.orderResponse();
        long before = usedHeap();
        InMemoryIdempotencyStore store =
                new InMemoryIdempotencyStore(Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER, records);
        for (int i = 0; i < records; i++) {
            // Fresh strings, as every request brings its own.
            IdempotencyKey key = new IdempotencyKey(new String("anonymous POST /orders"), "run-footprint-0-" + i);
            String fingerprint = String.format("%064x", i);
            ClaimResult.Claimed claimed = (ClaimResult.Claimed) store.claim(key, fingerprint, Duration.ofMinutes(1));
            StoredResponse response = new StoredResponse(
                    template.status(),
                    List.of(
                            new StoredResponse.Header("Content-Type", new String("application/json")),
                            new StoredResponse.Header("Location", "/orders/" + i)),
                    template.body().clone(),
                    false);
            store.complete(key, claimed.token(), response, Duration.ofMinutes(10));
        }
        long after = usedHeap();
        out.printf(
                "FOOTPRINT records=%d body_bytes=%d bytes_per_record=%d%n",
                store.size(), template.body().length, (after - before) / records);
    }

    private static long usedHeap() {
        // A full collection (System.gc() returns after it), so that what is measured is what stays reachable.
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
