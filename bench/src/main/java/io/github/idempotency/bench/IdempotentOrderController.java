package io.github.idempotency.bench;

import io.github.idempotency.Idempotent;

/**
 * The same endpoint as {@link OrderController}, made idempotent by the class-level annotation.
 */
@Idempotent
public class IdempotentOrderController extends OrderController {

    IdempotentOrderController(BenchCounters counters) {
        super(counters);
    }
}
