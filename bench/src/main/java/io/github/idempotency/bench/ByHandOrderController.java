package io.github.idempotency.bench;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * The plain endpoint's handler at {@code /by-hand/{store}/orders}, where {@link ByHandStoreFilter} does a
 * store's floor work around it: the store's round trips from inside a request, with none of the starter's
 * code. Registered in the plain variant only.
 */
public class ByHandOrderController extends OrderController {

    ByHandOrderController(BenchCounters counters) {
        super(counters);
    }

    /**
     * Accepts an order, as {@link OrderController#create} does.
     * @param order the order
     * @return {@code 201 Created} with the accepted order
     */
    @Override
    @PostMapping("/by-hand/{store}/orders")
    public ResponseEntity<Order> create(@RequestBody NewOrder order) {
        return super.create(order);
    }
}
