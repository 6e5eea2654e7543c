package io.github.idempotency.bench;

import io.github.idempotency.Idempotent;
import io.github.idempotency.bench.OrderController.NewOrder;
import io.github.idempotency.bench.OrderController.Order;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints whose handler writes one business row in a transaction, where idempotency should be nearly
 * free on PostgreSQL: {@code /tx/plain/orders} without idempotency, {@code /tx/method/orders} through an
 * {@code @Transactional @Idempotent(key = "#ref")} bean method whose claim and record join its transaction,
 * and {@code /tx/http/orders}, {@code @Idempotent(transactional = true)}, where the claim, the row and the
 * recorded response share the transaction the starter begins. The JDBC variant only.
 */
@RestController
public class TransactionalOrderController {

    private final TransactionalOrders orders;

    TransactionalOrderController(TransactionalOrders orders) {
        this.orders = orders;
    }

    /**
     * Accepts an order in a transaction, without idempotency.
     * @param ref the request's {@code Idempotency-Key}, stored with the row
     * @param order the order
     * @return {@code 201 Created} with the accepted order
     */
    @PostMapping("/tx/plain/orders")
    public ResponseEntity<Order> plain(@RequestHeader("Idempotency-Key") String ref, @RequestBody NewOrder order) {
        return created(this.orders.insert(ref, order));
    }

    /**
     * Accepts an order in a transaction between two statements that do nothing, without idempotency: the
     * floor of any idempotency that costs two statements in the transaction.
     * @param ref the request's {@code Idempotency-Key}, stored with the row
     * @param order the order
     * @return {@code 201 Created} with the accepted order
     */
    @PostMapping("/tx/floor/orders")
    public ResponseEntity<Order> floor(@RequestHeader("Idempotency-Key") String ref, @RequestBody NewOrder order) {
        return created(this.orders.insertBetweenEmptyStatements(ref, order));
    }

    /**
     * Accepts an order once per key through the method front door, in the method's transaction.
     * @param ref the request's {@code Idempotency-Key}, the method's key
     * @param order the order
     * @return {@code 201 Created} with the accepted order
     */
    @PostMapping("/tx/method/orders")
    public ResponseEntity<Order> method(@RequestHeader("Idempotency-Key") String ref, @RequestBody NewOrder order) {
        return created(this.orders.insertOnce(ref, order));
    }

    /**
     * Accepts an order once per key in the HTTP front door's transactional mode.
     * @param ref the request's {@code Idempotency-Key}, stored with the row
     * @param order the order
     * @return {@code 201 Created} with the accepted order
     */
    @PostMapping("/tx/http/orders")
    @Idempotent(transactional = true)
    public ResponseEntity<Order> http(@RequestHeader("Idempotency-Key") String ref, @RequestBody NewOrder order) {
        return created(this.orders.insert(ref, order));
    }

    private static ResponseEntity<Order> created(Order order) {
        return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
    }
}
