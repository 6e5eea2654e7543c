package io.github.idempotency.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.store.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Tests of {@link StoreOutageLog}: the lines it writes for outages, flapping stores and concurrent failures,
 * timed by a test clock and read from the captured output.
 */
@ExtendWith(OutputCaptureExtension.class)
class StoreOutageLogTests {

    /** Unique to this test class, so that no other logger's lines are counted. */
    private static final String SUBJECT = "Test store " + StoreOutageLogTests.class.getSimpleName();

    private static final String STACK_FRAME = "\tat io.github.idempotency.engine.StoreOutageLogTests";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private final StoreOutageLog log = new StoreOutageLog(
            LogFactory.getLog(StoreOutageLogTests.class), SUBJECT, Duration.ofSeconds(10), this.clock);

    @Test
    void firstFailureIsLoggedAtOnceWithItsStackTrace(CapturedOutput output) {
        this.log.failure(failure("connection refused"));

        assertThat(lines(output))
                .singleElement()
                .asString()
                .contains("WARN")
                .contains(SUBJECT + " is failing: " + IdempotencyStoreException.class.getName()
                        + ": connection refused; further failures are counted and logged at most once every 10s");
        assertThat(stackTraces(output)).isEqualTo(1);
    }

    @Test
    void failuresOfAnOutageAreCountedIntoOneLinePerIntervalWithoutStackTraces(CapturedOutput output) {
        this.log.failure(failure("first"));
        for (int i = 0; i < 99; i++) {
            this.clock.advance(Duration.ofMillis(100));
            this.log.failure(failure("refused " + i));
        }
        assertThat(lines(output)).hasSize(1);

        this.clock.advance(Duration.ofMillis(100));
        this.log.failure(failure("timed out"));
        this.clock.advance(Duration.ofSeconds(3));
        this.log.failure(failure("timed out again"));

        assertThat(lines(output))
                .hasSize(2)
                .last()
                .asString()
                .contains("WARN")
                .contains(SUBJECT + " is still failing: 100 failures in the last 10s (101 since it began failing 10s"
                        + " ago); the last: " + IdempotencyStoreException.class.getName() + ": timed out");
        assertThat(stackTraces(output)).isEqualTo(1);

        this.clock.advance(Duration.ofSeconds(7));
        this.log.failure(failure("still down"));
        assertThat(lines(output))
                .hasSize(3)
                .last()
                .asString()
                .contains("2 failures in the last 10s (103 since it began failing 20s ago)");
    }

    @Test
    void storeThatAnswersAgainIsLoggedOnceAtInfo(CapturedOutput output) {
        this.log.failure(failure("down"));
        this.clock.advance(Duration.ofSeconds(12));
        this.log.failure(failure("down"));
        this.clock.advance(Duration.ofSeconds(8));
        this.log.failure(failure("down"));
        this.clock.advance(Duration.ofMillis(5_500));

        this.log.success();
        this.log.success();
        this.clock.advance(Duration.ofMinutes(5));
        this.log.success();

        assertThat(lines(output))
                .hasSize(3)
                .last()
                .asString()
                .contains("INFO")
                .contains(SUBJECT + " is back after 3 failures over 25.5s");
    }

    @Test
    void successesWithoutAnOutageLogNothing(CapturedOutput output) {
        for (int i = 0; i < 1000; i++) {
            this.log.success();
        }

        assertThat(lines(output)).isEmpty();
    }

    @Test
    void nextOutageAfterAQuietIntervalIsLoggedWithItsStackTraceAgain(CapturedOutput output) {
        this.log.failure(failure("first outage"));
        this.log.success();
        this.clock.advance(Duration.ofMinutes(1));

        this.log.failure(failure("second outage"));

        assertThat(lines(output)).hasSize(3).last().asString().contains(SUBJECT + " is failing: ");
        assertThat(stackTraces(output)).isEqualTo(2);
    }

    @Test
    void flappingStoreIsReportedOnceAnIntervalNotOncePerFailure(CapturedOutput output) {
        // Every other call fails for 9 s: each failure starts an outage that the next answer ends.
        for (int i = 0; i < 900; i++) {
            this.log.failure(failure("flap " + i));
            this.log.success();
            this.clock.advance(Duration.ofMillis(10));
        }
        assertThat(lines(output)).hasSize(2);

        this.clock.advance(Duration.ofSeconds(1));
        this.log.failure(failure("flap again"));

        List<String> lines = lines(output);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains(SUBJECT + " is failing: ");
        assertThat(lines.get(1)).contains(SUBJECT + " is back after 1 failure over 0s");
        assertThat(lines.get(2)).contains(SUBJECT + " is failing (900 failures since the last report): ");
        assertThat(stackTraces(output)).isEqualTo(2);
    }

    @Test
    void concurrentFailuresThenAnAnswerAreLoggedAsOneOutageWithEveryFailureCounted(CapturedOutput output)
            throws Exception {
        int threads = 16;
        int failuresPerThread = 500;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < failuresPerThread; i++) {
                        this.log.failure(failure("refused"));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        this.clock.advance(Duration.ofSeconds(3));
        this.log.success();

        assertThat(lines(output))
                .hasSize(2)
                .last()
                .asString()
                .contains(SUBJECT + " is back after " + (threads * failuresPerThread) + " failures over 3s");
        assertThat(stackTraces(output)).isEqualTo(1);
    }

    private static IdempotencyStoreException failure(String message) {
        return new IdempotencyStoreException(message);
    }

    private static List<String> lines(CapturedOutput output) {
        return output.getAll().lines().filter((line) -> line.contains(SUBJECT)).toList();
    }

    private static long stackTraces(CapturedOutput output) {
        // The top frame of each logged exception, the test method that created it.
        return output.getAll()
                .lines()
                .filter((line) -> line.startsWith(STACK_FRAME + ".failure("))
                .count();
    }
}
