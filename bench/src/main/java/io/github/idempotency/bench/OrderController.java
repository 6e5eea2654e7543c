package io.github.idempotency.bench;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmarked endpoint without {@code @Idempotent}: parses a JSON order and answers {@code 201} with a
 * {@code Location} and a JSON body, doing no other work, so that what the starter adds stands out.
 */
@RestController
public class OrderController {

    private final AtomicLong ids = new AtomicLong();

    private final BenchCounters counters;

    OrderController(BenchCounters counters) {
        this.counters = counters;
    }

    /**
     * Accepts an order.
     * @param order the order
     * @return {@code 201 Created} with the accepted order
     */
    @PostMapping("/orders")
    public ResponseEntity<Order> create(@RequestBody NewOrder order) {
        this.counters.handlerRan();
        long id = this.ids.incrementAndGet();
        Order created = new Order(
                id,
                order.customer(),
                order.amount(),
                order.currency(),
                order.items().size(),
                "ACCEPTED");
        return ResponseEntity.created(URI.create("/orders/" + id)).body(created);
    }

    /**
     * The request body.
     *
     * @param customer who orders
     * @param amount total in minor units
     * @param currency ISO 4217 code
     * @param items the lines of the order
     */
    public record NewOrder(String customer, long amount, String currency, List<Item> items) {}

    /**
     * One line of an order.
     *
     * @param sku the article
     * @param quantity how many
     */
    public record Item(String sku, int quantity) {}

    /**
     * The response body.
     *
     * @param id the order's id
     * @param customer who ordered
     * @param amount total in minor units
     * @param currency ISO 4217 code
     * @param itemCount how many lines the order has
     * @param status always {@code ACCEPTED}
     */
    public record Order(long id, String customer, long amount, String currency, int itemCount, String status) {}
}
