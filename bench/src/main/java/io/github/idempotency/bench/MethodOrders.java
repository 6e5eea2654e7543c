package io.github.idempotency.bench;

import io.github.idempotency.Idempotent;
import io.github.idempotency.bench.OrderController.NewOrder;
import io.github.idempotency.bench.OrderController.Order;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bean of {@link IdempotentMethodBenchmark}: the same work, accepting an order, as a plain method and as
 * an {@code @Idempotent(key = "#ref")} one, called through the bean's proxy.
 */
public class MethodOrders {

    private final AtomicLong ids = new AtomicLong();

    /**
     * Accepts an order.
     * @param ref the call's reference
     * @param order the order
     * @return the accepted order
     */
    public Order accept(String ref, NewOrder order) {
        long id = this.ids.incrementAndGet();
        return new Order(
                id,
                order.customer(),
                order.amount(),
                order.currency(),
                order.items().size(),
                "ACCEPTED");
    }

    /**
     * Accepts an order once per reference.
     * @param ref the call's reference, the key
     * @param order the order
     * @return the accepted order, recorded on the first call and returned again on later ones
     */
    @Idempotent(key = "#ref")
    public Order acceptOnce(String ref, NewOrder order) {
        return accept(ref, order);
    }
}
