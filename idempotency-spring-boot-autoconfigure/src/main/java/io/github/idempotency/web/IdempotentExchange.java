package io.github.idempotency.web;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyTransactions;

/**
 * A request that claimed its key and must, whatever happens, end by completing or releasing the claim
 * (committing or rolling back its transaction in the transactional mode). Kept in a request attribute
 * from the interceptor's claim to the moment the response is recorded.
 */
final class IdempotentExchange {

    static final String ATTRIBUTE = IdempotentExchange.class.getName();

    private final IdempotencyKey key;

    private final String fingerprint;

    private final ClaimToken token;

    private final IdempotentEndpoint endpoint;

    private final LeaseRenewer.Renewal renewal;

    private final IdempotencyTransactions.Transaction transaction;

    private Throwable handledException;

    private boolean finished;

    IdempotentExchange(
            IdempotencyKey key,
            String fingerprint,
            ClaimToken token,
            IdempotentEndpoint endpoint,
            LeaseRenewer.Renewal renewal,
            IdempotencyTransactions.Transaction transaction) {
        this.key = key;
        this.fingerprint = fingerprint;
        this.token = token;
        this.endpoint = endpoint;
        this.renewal = renewal;
        this.transaction = transaction;
    }

    IdempotencyKey getKey() {
        return this.key;
    }

    String getFingerprint() {
        return this.fingerprint;
    }

    ClaimToken getToken() {
        return this.token;
    }

    IdempotentEndpoint getEndpoint() {
        return this.endpoint;
    }

    /**
     * Returns the transaction of the transactional mode, or {@code null} for a claim held by a lease.
     */
    IdempotencyTransactions.Transaction getTransaction() {
        return this.transaction;
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
        if (this.renewal != null) {
            this.renewal.cancel();
        }
        return true;
    }
}
