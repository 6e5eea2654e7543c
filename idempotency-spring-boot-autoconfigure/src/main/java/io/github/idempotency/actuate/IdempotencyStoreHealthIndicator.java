package io.github.idempotency.actuate;

import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.engine.IdempotencyObservations;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of the {@link IdempotencyStore}: up when it answers a lookup ({@link IdempotencyStore#find})
 * of a key that no request uses, down when that fails. The lookup takes the same way as every request's
 * claim (connection, table or key space, permissions), without writing anything. A store that cannot look
 * records up reports unknown.
 *
 * <p>The store's own timeouts bound the check. It is not part of the readiness group unless the
 * application adds it ({@code management.endpoint.health.group.readiness.include=readinessState,idempotency}).
 */
public class IdempotencyStoreHealthIndicator extends AbstractHealthIndicator {

    /** The key looked up: its scope is one no front door gives. */
    static final IdempotencyKey PROBE = new IdempotencyKey("idempotency:health", "probe");

    private final IdempotencyStore store;

    private final String storeName;

    /**
     * Creates an indicator.
     * @param store the store to check
     */
    public IdempotencyStoreHealthIndicator(IdempotencyStore store) {
        super("Idempotency store health check failed");
        this.store = store;
        this.storeName = IdempotencyObservations.storeName(store);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", this.storeName);
        try {
            this.store.find(PROBE);
        } catch (UnsupportedOperationException ex) {
            builder.unknown().withDetail("reason", "the store cannot look records up");
            return;
        }
        builder.up();
    }
}
