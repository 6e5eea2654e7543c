package io.github.idempotency.web;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;

/**
 * A request that claimed its key and must, whatever happens, end by completing or releasing the claim.
 * Kept in a request attribute between the interceptor that claims and the filter that finishes.
 */
final class IdempotentExchange {

    static final String ATTRIBUTE = IdempotentExchange.class.getName();

    private final IdempotencyKey key;

    private final ClaimToken token;

    private final IdempotentEndpoint endpoint;

    private final LeaseRenewer.Renewal renewal;

    private Throwable handledException;

    private boolean finished;

    IdempotentExchange(
            IdempotencyKey key, ClaimToken token, IdempotentEndpoint endpoint, LeaseRenewer.Renewal renewal) {
        this.key = key;
        this.token = token;
        this.endpoint = endpoint;
        this.renewal = renewal;
    }

    IdempotencyKey getKey() {
        return this.key;
    }

    ClaimToken getToken() {
        return this.token;
    }

    IdempotentEndpoint getEndpoint() {
        return this.endpoint;
    }

    Throwable getHandledException() {
        return this.handledException;
    }

    void setHandledException(Throwable handledException) {
        this.handledException = handledException;
    }

    boolean isFinished() {
        return this.finished;
    }

    /**
     * Marks the exchange finished and stops renewing its lease.
     * @return {@code false} if it was already finished
     */
    boolean finish() {
        if (this.finished) {
            return false;
        }
        this.finished = true;
        this.renewal.cancel();
        return true;
    }
}
