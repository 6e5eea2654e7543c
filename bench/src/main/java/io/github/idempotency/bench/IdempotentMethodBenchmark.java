package io.github.idempotency.bench;

import io.github.idempotency.bench.OrderController.Item;
import io.github.idempotency.bench.OrderController.NewOrder;
import io.github.idempotency.bench.OrderController.Order;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The method front door in-process: a bean method called plain ({@code plainCall}) and through the
 * {@code @Idempotent} advisor with a new key ({@code firstCall}) and with a completed one
 * ({@code replayedCall}), on each store, in a Spring context with the starter's auto-configuration and no web
 * server. One thread; the stores are found through {@code bench.jdbc-url}, {@code bench.jdbc-username} and
 * {@code bench.redis-url} (system properties), with the same defaults as {@code bench/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IdempotentMethodBenchmark {

    private static final NewOrder ORDER = new NewOrder(
            "customer-0042", 5000, "USD", List.of(new Item("sku-1", 2), new Item("sku-2", 1), new Item("sku-3", 5)));

    private static final int REPLAY_KEYS = 1000;

    /** The store: {@code memory}, {@code jdbc} or {@code redis}. */
    @Param({"memory", "jdbc", "redis"})
    public String store;

    private ConfigurableApplicationContext context;

    private MethodOrders orders;

    private final String prefix = UUID.randomUUID().toString();

    private long calls;

    /** Starts the context and completes the keys that {@link #replayedCall()} replays. */
    @Setup(Level.Trial)
    public void start() {
        this.context = new SpringApplicationBuilder(MethodBenchApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(
                        "--idempotency.store.type=" + this.store,
                        "--spring.datasource.url="
                                + System.getProperty("bench.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test"),
                        "--spring.datasource.username=" + System.getProperty("bench.jdbc-username", "postgres"),
                        "--spring.data.redis.url=" + System.getProperty("bench.redis-url", "redis://127.0.0.1:6379"));
        this.orders = this.context.getBean(MethodOrders.class);
        for (int key = 0; key < REPLAY_KEYS; key++) {
            this.orders.acceptOnce(replayKey(key), ORDER);
        }
    }

    /** Closes the context. */
    @TearDown(Level.Trial)
    public void stop() {
        this.context.close();
    }

    /**
     * The method without the advisor's work.
     * @return the accepted order
     */
    @Benchmark
    public Order plainCall() {
        return this.orders.accept(newKey(), ORDER);
    }

    /**
     * A first call: claim, the method, the recorded return value.
     * @return the accepted order
     */
    @Benchmark
    public Order firstCall() {
        return this.orders.acceptOnce(newKey(), ORDER);
    }

    /**
     * A call with a completed key: the recorded return value, without running the method.
     * @return the recorded order
     */
    @Benchmark
    public Order replayedCall() {
        return this.orders.acceptOnce(replayKey((int) (this.calls++ % REPLAY_KEYS)), ORDER);
    }

    private String newKey() {
        return this.prefix + "-" + this.calls++;
    }

    private String replayKey(int index) {
        return this.prefix + "-replay-" + index;
    }

    /**
     * The benchmark's context: the starter's auto-configuration and the bean.
     */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    public static class MethodBenchApplication {

        @Bean
        MethodOrders methodOrders() {
            return new MethodOrders();
        }
    }
}
