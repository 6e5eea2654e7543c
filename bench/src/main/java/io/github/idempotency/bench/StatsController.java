package io.github.idempotency.bench;

import java.lang.management.ManagementFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reports the {@link BenchCounters} to {@code bench/run.sh}, as one {@code key=value} line.
 */
@RestController
public class StatsController {

    private final BenchCounters counters;

    StatsController(BenchCounters counters) {
        this.counters = counters;
    }

    /**
     * Returns the counts and the median times since the previous call and resets them, and the JIT compiler's
     * total time so far, by which {@code bench/run.sh} tells when the application has warmed up.
     * @return {@code round_trips=N commits=C handler_runs=M served=R jit_ms=T server_p50_us=Q store_p50_us=S}
     */
    @GetMapping("/bench/stats")
    public String stats() {
        BenchCounters.Snapshot snapshot = this.counters.takeSnapshot();
        return "round_trips=" + snapshot.roundTrips() + " commits=" + snapshot.commits() + " handler_runs="
                + snapshot.handlerRuns() + " served="
                + snapshot.requests() + " jit_ms="
                + ManagementFactory.getCompilationMXBean().getTotalCompilationTime() + " server_p50_us="
                + snapshot.serverP50Micros() + " store_p50_us=" + snapshot.storeP50Micros() + "\n";
    }
}
