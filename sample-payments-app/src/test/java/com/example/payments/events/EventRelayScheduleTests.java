package com.example.payments.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.payments.PaymentsApplication;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * {@link EventRelaySchedule}: stopping waits for the batch in progress and leaves no batch behind, so that an
 * application paused (as Spring's test framework pauses the contexts it caches) closes at once.
 */
class EventRelayScheduleTests {

    private static final long TIMEOUT_SECONDS = 30;

    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

    @AfterEach
    void shutDownScheduler() {
        this.scheduler.shutdown();
    }

    @Test
    void stopWaitsForTheBatchInProgressAndStartsNoOther() throws Exception {
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.scheduler.initialize();
        AtomicInteger batches = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stopReturned = new AtomicBoolean();
        AtomicBoolean stopReturnedDuringBatch = new AtomicBoolean();
        EventRelaySchedule schedule = new EventRelaySchedule(
                () -> {
                    batches.incrementAndGet();
                    entered.countDown();
                    awaitQuietly(release);
                    stopReturnedDuringBatch.set(stopReturned.get());
                },
                this.scheduler,
                Duration.ofMillis(1));
        schedule.start();
        assertThat(entered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

        Thread stopper = new Thread(() -> {
            schedule.stop();
            stopReturned.set(true);
        });
        stopper.start();
        // Parked on the batch in progress, not returned.
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> stopper.getState() == Thread.State.WAITING);
        release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));

        assertThat(stopReturned).isTrue();
        assertThat(stopReturnedDuringBatch).isFalse();
        assertThat(schedule.isRunning()).isFalse();
        assertThat(this.scheduler.getScheduledThreadPoolExecutor().getQueue()).isEmpty();
        assertThat(batches).hasValue(1);
    }

    @Test
    void startAfterStopRunsBatchesAgain() throws Exception {
        this.scheduler.initialize();
        CountDownLatch firstRun = new CountDownLatch(1);
        CountDownLatch secondRun = new CountDownLatch(2);
        EventRelaySchedule schedule = new EventRelaySchedule(
                () -> {
                    firstRun.countDown();
                    secondRun.countDown();
                },
                this.scheduler,
                Duration.ofMillis(1));
        schedule.start();
        assertThat(firstRun.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        schedule.stop();
        assertThat(schedule.isRunning()).isFalse();

        schedule.start();

        assertThat(schedule.isRunning()).isTrue();
        assertThat(secondRun.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        schedule.stop();
    }

    @Test
    void pausedApplicationClosesWithItsRelaySchedulerTerminated() {
        // The scheduler waits for its tasks at shutdown: a batch that came due while it was paused would wait
        // in it, and hold the close for the whole period.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PaymentsApplication.class)
                .run(
                        "--server.port=0",
                        "--sample.events.poll-interval=1ms",
                        "--spring.task.scheduling.shutdown.await-termination=true",
                        "--spring.task.scheduling.shutdown.await-termination-period=10s");
        ThreadPoolTaskScheduler relayScheduler = context.getBean("eventRelayScheduler", ThreadPoolTaskScheduler.class);
        try {
            context.pause();

            assertThat(context.getBean(EventRelaySchedule.class).isRunning()).isFalse();
            assertThat(relayScheduler.getScheduledThreadPoolExecutor().getQueue())
                    .isEmpty();
        } finally {
            context.close();
        }
        assertThat(relayScheduler.getScheduledThreadPoolExecutor().isTerminated())
                .isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
