package io.github.idempotency.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.idempotency.IdempotencyInProgressException;
import io.github.idempotency.IdempotencyKeyReusedException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.Idempotent;
import io.github.idempotency.InProgressPolicy;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyMethodAutoConfiguration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The behaviour of {@code @Idempotent} bean methods on a store, run against each store by a subclass: a
 * duplicate call gets the first call's value back without running the method, exceptions release the key,
 * and of many threads calling with one key the method runs once.
 */
public abstract class IdempotentMethodContractTests {

    private static final int THREADS = 16;

    private static final int TIMEOUT_SECONDS = 30;

    /**
     * Returns the store the methods' records go to, shared by every test of the class.
     * @return the store
     */
    protected abstract IdempotencyStore store();

    /**
     * Returns a context runner with the starter's auto-configuration and the test's store and beans, to which
     * subclasses may add what their store needs (a transaction manager, properties).
     * @return the runner
     */
    protected ApplicationContextRunner contextRunner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        IdempotencyAutoConfiguration.class, IdempotencyMethodAutoConfiguration.class))
                .withBean(IdempotencyStore.class, () -> new InProgressWatchingStore(store()))
                .withUserConfiguration(ReceiptsConfiguration.class);
    }

    @Test
    void duplicateCallReturnsTheRecordedGenericValueWithoutRunningAgain() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);
            Order order = new Order(UUID.randomUUID().toString(), new BigDecimal("12.50"));

            List<Receipt> first = receipts.issue(order);
            List<Receipt> second = receipts.issue(order);

            assertThat(receipts.runs(order.id())).isEqualTo(1);
            assertThat(second)
                    .isEqualTo(first)
                    .hasSize(2)
                    .allSatisfy((receipt) -> assertThat(receipt).isInstanceOf(Receipt.class));
        });
    }

    @Test
    void duplicateCallOfAnInheritedGenericMethodReturnsTheTypeItsClassBindsItTo() {
        contextRunner().run((context) -> {
            OrderReceiptIssuer issuer = context.getBean(OrderReceiptIssuer.class);
            String id = UUID.randomUUID().toString();

            Receipt first = issuer.issueOne(id);
            Receipt second = issuer.issueOne(id);
            List<Receipt> all = issuer.issueAll(id);
            List<Receipt> allAgain = issuer.issueAll(id);

            assertThat(issuer.runs()).isEqualTo(2);
            assertThat(second).isInstanceOf(Receipt.class).isEqualTo(first);
            assertThat(allAgain).isEqualTo(all).singleElement().isInstanceOf(Receipt.class);
        });
    }

    @Test
    void valueThatFailsToBeRecordedWithAnErrorReleasesTheKey() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);
            String id = UUID.randomUUID().toString();

            assertThatExceptionOfType(UnwritableError.class).isThrownBy(() -> receipts.unwritable(id));
            assertThatExceptionOfType(UnwritableError.class).isThrownBy(() -> receipts.unwritable(id));

            // Run again, not refused as still in progress: the first call's claim did not outlive it.
            assertThat(receipts.runs(id)).isEqualTo(2);
        });
    }

    @Test
    void voidMethodRunsOncePerKey() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);
            String id = UUID.randomUUID().toString();

            receipts.acknowledge(id);
            receipts.acknowledge(id);
            receipts.acknowledge(UUID.randomUUID().toString());

            assertThat(receipts.runs(id)).isEqualTo(1);
        });
    }

    @Test
    void exceptionReleasesTheKeySoTheNextCallRunsAgain() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);
            String id = UUID.randomUUID().toString();

            assertThatExceptionOfType(IllegalStateException.class)
                    .isThrownBy(() -> receipts.failOnce(id))
                    .withMessage("first attempt fails");
            Receipt retried = receipts.failOnce(id);
            Receipt replayed = receipts.failOnce(id);

            assertThat(receipts.runs(id)).isEqualTo(2);
            assertThat(replayed).isEqualTo(retried);
        });
    }

    @Test
    void nullKeyIsRejectedNamingTheExpressionAndTheMethodDoesNotRun() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> receipts.issue(new Order(null, BigDecimal.ONE)))
                    .withMessageContaining("#order.id")
                    .withMessageContaining("gave null");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> receipts.issue(new Order("  ", BigDecimal.ONE)))
                    .withMessageContaining("gave a blank value");
            assertThat(receipts.totalRuns()).isZero();
        });
    }

    @Test
    void sameKeyWithDifferentFingerprintIsRefused() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);
            String id = UUID.randomUUID().toString();
            receipts.charge(new Order(id, BigDecimal.TEN));

            Receipt replayed = receipts.charge(new Order(id, BigDecimal.TEN));

            assertThat(replayed.amount()).isEqualByComparingTo("10");
            assertThatExceptionOfType(IdempotencyKeyReusedException.class)
                    .isThrownBy(() -> receipts.charge(new Order(id, BigDecimal.ONE)))
                    .withMessageContaining(id);
            assertThat(receipts.runs(id)).isEqualTo(1);
        });
    }

    @Test
    void keyByPositionAndRootAreEvaluated() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);
            String id = UUID.randomUUID().toString();

            Receipt first = receipts.byPosition(id, 1);
            Receipt second = receipts.byPosition(id, 2);

            assertThat(second).isEqualTo(first);
            assertThat(receipts.runs(id)).isEqualTo(1);
        });
    }

    @Test
    void manyThreadsWaitingOnOneKeyRunTheMethodOnceAndAllGetItsValue() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);
            String id = UUID.randomUUID().toString();
            // The first call holds its claim until other calls have found it in progress and poll.
            CountDownLatch polled = new CountDownLatch(THREADS - 1);
            ((InProgressWatchingStore) context.getBean(IdempotencyStore.class)).onInProgress(polled::countDown);
            receipts.holdUntil(id, polled);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Receipt> results = onThreads(() -> {
                start.await();
                return receipts.waiting(id);
            });

            assertThat(receipts.runs(id)).isEqualTo(1);
            assertThat(results).hasSize(THREADS).containsOnly(results.get(0));
        });
    }

    @Test
    void manyThreadsOnOneKeyUnderThrowRunTheMethodOnceAndTheOthersAreToldItIsInProgress() {
        contextRunner().run((context) -> {
            Receipts receipts = context.getBean(Receipts.class);
            String id = UUID.randomUUID().toString();
            // The first call holds its claim until every other call has been refused.
            CountDownLatch refused = new CountDownLatch(THREADS - 1);
            receipts.holdUntil(id, refused);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            AtomicInteger inProgress = new AtomicInteger();

            List<Receipt> results = onThreads(() -> {
                start.await();
                try {
                    return receipts.throwing(id);
                } catch (IdempotencyInProgressException ex) {
                    assertThat(ex.getRetryAfter()).isPositive();
                    inProgress.incrementAndGet();
                    refused.countDown();
                    return null;
                }
            });

            assertThat(receipts.runs(id)).isEqualTo(1);
            assertThat(inProgress).hasValue(THREADS - 1);
            assertThat(results).filteredOn((result) -> result != null).hasSize(1);
        });
    }

    private static List<Receipt> onThreads(java.util.concurrent.Callable<Receipt> call) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Receipt>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(executor.submit(call));
            }
            List<Receipt> results = new ArrayList<>();
            for (Future<Receipt> future : futures) {
                try {
                    results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                } catch (ExecutionException ex) {
                    throw new AssertionError("A call failed", ex.getCause());
                }
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * An order to issue receipts for.
     *
     * @param id the order's id, the key
     * @param amount its amount
     */
    public record Order(String id, BigDecimal amount) {}

    /**
     * What the methods return: a record, restored from JSON on duplicate calls.
     *
     * @param orderId the order's id
     * @param amount the amount
     * @param serial which run of the method made it
     */
    public record Receipt(String orderId, BigDecimal amount, int serial) {}

    /**
     * A value that cannot be written as JSON: its getter throws an {@link Error}, which Jackson does not wrap.
     */
    public static class Unwritable {

        public String getValue() {
            throw new UnwritableError();
        }
    }

    /**
     * What {@link Unwritable} throws.
     */
    public static class UnwritableError extends Error {}

    @Configuration(proxyBeanMethods = false)
    static class ReceiptsConfiguration {

        @Bean
        Receipts receipts() {
            return new Receipts();
        }

        @Bean
        OrderReceiptIssuer orderReceiptIssuer() {
            return new OrderReceiptIssuer();
        }
    }

    /**
     * Idempotent methods declared once, in a base class generic in what they return.
     * @param <R> what the concrete issuer returns
     */
    public abstract static class ReceiptIssuer<R> {

        private final AtomicInteger runs = new AtomicInteger();

        @Idempotent(key = "#p0")
        public R issueOne(String id) {
            return make(id, this.runs.incrementAndGet());
        }

        @Idempotent(key = "#p0")
        public List<R> issueAll(String id) {
            return List.of(make(id, this.runs.incrementAndGet()));
        }

        // Through a method: the bean is a proxy, whose own fields are not the target's.
        public int runs() {
            return this.runs.get();
        }

        protected abstract R make(String id, int serial);
    }

    /**
     * Inherits its idempotent methods, with {@link Receipt} for their type variable.
     */
    public static class OrderReceiptIssuer extends ReceiptIssuer<Receipt> {

        @Override
        protected Receipt make(String id, int serial) {
            return new Receipt(id, BigDecimal.TEN, serial);
        }
    }

    /**
     * Idempotent methods that count their runs per key.
     */
    public static class Receipts {

        private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

        @Idempotent(key = "#order.id")
        public List<Receipt> issue(Order order) {
            int serial = run(order.id());
            return List.of(
                    new Receipt(order.id(), order.amount(), serial), new Receipt(order.id(), BigDecimal.ZERO, serial));
        }

        @Idempotent(key = "#id")
        public Unwritable unwritable(String id) {
            run(id);
            return new Unwritable();
        }

        @Idempotent(key = "#id")
        public void acknowledge(String id) {
            run(id);
        }

        @Idempotent(key = "#p0")
        public Receipt failOnce(String id) {
            if (run(id) == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return new Receipt(id, BigDecimal.ONE, runs(id));
        }

        @Idempotent(key = "#order.id", fingerprint = "#order")
        public Receipt charge(Order order) {
            return new Receipt(order.id(), order.amount(), run(order.id()));
        }

        @Idempotent(key = "#root.args[0]", name = "receipts-by-position")
        public Receipt byPosition(String id, int attempt) {
            return new Receipt(id, BigDecimal.valueOf(attempt), run(id));
        }

        @Idempotent(key = "#a0", onInProgress = InProgressPolicy.WAIT, maxWait = "20s")
        public Receipt waiting(String id) throws InterruptedException {
            return held(id);
        }

        @Idempotent(key = "#id")
        public Receipt throwing(String id) throws InterruptedException {
            return held(id);
        }

        private Receipt held(String id) throws InterruptedException {
            int serial = run(id);
            CountDownLatch hold = this.holds.get(id);
            if (hold != null && !hold.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The other calls did not find the key in progress in time");
            }
            return new Receipt(id, BigDecimal.ONE, serial);
        }

        void holdUntil(String id, CountDownLatch latch) {
            this.holds.put(id, latch);
        }

        int runs(String id) {
            AtomicInteger count = this.runs.get(id);
            return (count != null) ? count.get() : 0;
        }

        int totalRuns() {
            return this.runs.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        private int run(String id) {
            return this.runs
                    .computeIfAbsent(id, (ignored) -> new AtomicInteger())
                    .incrementAndGet();
        }
    }
}
