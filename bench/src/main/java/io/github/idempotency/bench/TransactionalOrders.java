package io.github.idempotency.bench;

import io.github.idempotency.Idempotent;
import io.github.idempotency.bench.OrderController.NewOrder;
import io.github.idempotency.bench.OrderController.Order;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The business work of the transactional endpoints ({@link TransactionalOrderController}): one row of
 * {@value #TABLE} inserted in a transaction, plain or made idempotent by the method front door, whose claim
 * and record join that transaction. The JDBC variant only.
 */
public class TransactionalOrders {

    /** The business table, emptied when the application starts. */
    static final String TABLE = "bench_order";

    static final String DDL = ddl(TABLE);

    private static final String INSERT = insert(TABLE);

    /** A prepared statement that reads nothing and writes nothing, a round trip and no more. */
    static final String EMPTY_STATEMENT = "SELECT CAST(? AS INTEGER)";

    /**
     * Returns the DDL of a business table: the application's, or the physical floor's
     * ({@link PhysicalFloorScripts}).
     */
    static String ddl(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT PRIMARY KEY, ref VARCHAR(200) NOT NULL, "
                + "customer VARCHAR(64) NOT NULL, amount BIGINT NOT NULL, currency VARCHAR(3) NOT NULL, "
                + "item_count INT NOT NULL)";
    }

    /** Returns the insert of one business row into a table, its six values as parameters. */
    static String insert(String table) {
        return "INSERT INTO " + table + " (id, ref, customer, amount, currency, item_count) VALUES (?, ?, ?, ?, ?, ?)";
    }

    private final AtomicLong ids = new AtomicLong();

    private final JdbcTemplate jdbc;

    private final BenchCounters counters;

    TransactionalOrders(JdbcTemplate jdbc, BenchCounters counters) {
        this.jdbc = jdbc;
        this.counters = counters;
    }

    /**
     * Inserts the order's row in a transaction of its own, or in the caller's.
     * @param ref the request's reference, its {@code Idempotency-Key}
     * @param order the order
     * @return the accepted order
     */
    @Transactional
    public Order insert(String ref, NewOrder order) {
        this.counters.handlerRan();
        long id = this.ids.incrementAndGet();
        this.jdbc.update(
                INSERT,
                id,
                ref,
                order.customer(),
                order.amount(),
                order.currency(),
                order.items().size());
        return new Order(
                id,
                order.customer(),
                order.amount(),
                order.currency(),
                order.items().size(),
                "ACCEPTED");
    }

    /**
     * Inserts the order's row in a transaction of its own between two statements that do nothing, one
     * before and one after it: where the claim and the record of {@link #insertOnce} stand, without their
     * work. What two more round trips in the transaction cost, whatever they do.
     * @param ref the request's reference, its {@code Idempotency-Key}
     * @param order the order
     * @return the accepted order
     */
    @Transactional
    public Order insertBetweenEmptyStatements(String ref, NewOrder order) {
        this.jdbc.queryForObject(EMPTY_STATEMENT, Integer.class, 1);
        Order accepted = insert(ref, order);
        this.jdbc.queryForObject(EMPTY_STATEMENT, Integer.class, 1);
        return accepted;
    }

    /**
     * Inserts the order's row at most once per reference: the claim and the record join the method's
     * transaction.
     * @param ref the request's reference, its {@code Idempotency-Key}
     * @param order the order
     * @return the accepted order, recorded on the first call and returned again on later ones
     */
    @Transactional
    @Idempotent(key = "#ref")
    public Order insertOnce(String ref, NewOrder order) {
        return insert(ref, order);
    }
}
