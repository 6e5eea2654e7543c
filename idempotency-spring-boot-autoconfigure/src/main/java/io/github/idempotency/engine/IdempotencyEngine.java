package io.github.idempotency.engine;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.IdempotencyTransactions;
import java.time.Clock;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

/**
 * Claims the keys of idempotent operations and decides what each call does: run, replay, or be refused.
 * Both front doors, the servlet interceptor and the bean-method interceptor, go through it, so claims,
 * leases, renewal, fencing and the transactional modes behave the same for an HTTP request and a message
 * listener.
 *
 * <p>A claim is held in one of three ways, chosen per call:
 * <ul>
 * <li><b>lease</b>: the claim commits at once and blocks other callers for a lease, renewed while the
 * operation runs; completing and releasing are separate writes fenced by the claim's token;</li>
 * <li><b>own transaction</b> ({@link IdempotentOperation#transactional()}): the engine begins a transaction,
 * the claim, the operation's writes and the record join it, and completing commits it;</li>
 * <li><b>joined transaction</b>: the caller already runs in a transaction that the store's statements join
 * (a {@code @Transactional} listener), so the claim and the record commit or roll back with the caller's
 * work, and the engine neither commits nor rolls back anything.</li>
 * </ul>
 * An uncommitted claim blocks concurrent claimers of the same key in the database itself, so the
 * transactional ways need no lease renewal.
 */
public class IdempotencyEngine {

    private static final Log logger = LogFactory.getLog(IdempotencyEngine.class);

    private final IdempotencyStore store;

    private final LeaseRenewer leaseRenewer;

    private final IdempotencyTransactions transactions;

    private final Duration lease;

    private final boolean failOpen;

    private final InProgressRetryAfter retryAfter;

    /**
     * Creates an engine that estimates the {@link Admission.InProgress#retryAfter()} of refused calls from
     * recent durations on the system clock.
     * @param store where keys are claimed and outcomes recorded
     * @param leaseRenewer renews the leases of running operations
     * @param transactions the store's transactions, {@code null} when it offers none
     * @param lease how long a claim blocks others before it can be taken over
     * @param failOpen whether an operation runs unprotected when the store cannot answer
     */
    public IdempotencyEngine(
            IdempotencyStore store,
            LeaseRenewer leaseRenewer,
            IdempotencyTransactions transactions,
            Duration lease,
            boolean failOpen) {
        this(store, leaseRenewer, transactions, lease, failOpen, InProgressRetryAfter.estimated(Clock.systemUTC()));
    }

    /**
     * Creates an engine.
     * @param store where keys are claimed and outcomes recorded
     * @param leaseRenewer renews the leases of running operations
     * @param transactions the store's transactions, {@code null} when it offers none
     * @param lease how long a claim blocks others before it can be taken over
     * @param failOpen whether an operation runs unprotected when the store cannot answer
     * @param retryAfter tells calls refused as in progress when to come back
     */
    public IdempotencyEngine(
            IdempotencyStore store,
            LeaseRenewer leaseRenewer,
            IdempotencyTransactions transactions,
            Duration lease,
            boolean failOpen,
            InProgressRetryAfter retryAfter) {
        Assert.notNull(store, "'store' must not be null");
        Assert.notNull(leaseRenewer, "'leaseRenewer' must not be null");
        Assert.isTrue(lease != null && !lease.isNegative() && !lease.isZero(), "'lease' must be positive");
        Assert.notNull(retryAfter, "'retryAfter' must not be null");
        this.store = store;
        this.leaseRenewer = leaseRenewer;
        this.transactions = transactions;
        this.lease = lease;
        this.failOpen = failOpen;
        this.retryAfter = retryAfter;
    }

    /**
     * Claims the operation's key and decides what the call does. A {@link Admission.Proceed} must be ended,
     * on the calling thread, by {@link Execution#complete} or {@link Execution#abandon}.
     * @param operation the call
     * @return the decision, never {@code null}
     * @throws IllegalStateException if the operation is transactional and the store offers no transactions
     */
    public Admission admit(IdempotentOperation operation) {
        IdempotencyTransactions.Transaction transaction = null;
        boolean joined = false;
        ClaimResult claim;
        try {
            if (operation.transactional()) {
                transaction = beginTransaction(operation);
            } else {
                joined = this.transactions != null && this.transactions.isTransactionActive();
            }
            claim = this.store.claim(operation.key(), operation.fingerprint(), this.lease);
        } catch (IdempotencyStoreException ex) {
            rollback(transaction);
            return storeFailure(operation, ex);
        }
        if (claim instanceof ClaimResult.Claimed claimed) {
            LeaseRenewer.Renewal renewal = (transaction != null || joined)
                    ? null
                    : this.leaseRenewer.start(this.store, operation.key(), claimed.token(), this.lease);
            return new Admission.Proceed(new Execution(
                    this, operation, claimed.token(), renewal, transaction, joined, this.retryAfter.started()));
        }
        rollback(transaction);
        if (claim instanceof ClaimResult.Completed completed) {
            return new Admission.Replay(completed.response());
        }
        if (claim instanceof ClaimResult.InProgress inProgress) {
            return new Admission.InProgress(this.retryAfter.retryAfter(operation.name(), inProgress));
        }
        return new Admission.KeyReused();
    }

    /**
     * Returns whether the calling thread runs in a transaction that claims would join.
     * @return whether a call now would run in the joined-transaction way
     */
    public boolean isTransactionActive() {
        return this.transactions != null && this.transactions.isTransactionActive();
    }

    /**
     * Returns whether operations may be transactional, that is whether the store offers transactions.
     * @return whether {@link IdempotentOperation#transactional()} operations can be admitted
     */
    public boolean supportsTransactions() {
        return this.transactions != null;
    }

    IdempotencyStore store() {
        return this.store;
    }

    Duration lease() {
        return this.lease;
    }

    /**
     * Counts how long an execution held its key towards its operation's recent durations.
     */
    void ended(Execution execution, long startTime) {
        this.retryAfter.ended(execution.operation().name(), startTime);
    }

    private IdempotencyTransactions.Transaction beginTransaction(IdempotentOperation operation) {
        if (this.transactions == null) {
            throw new IllegalStateException("Idempotent operation " + operation.name()
                    + " is transactional, but the store offers no transactions");
        }
        return this.transactions.begin();
    }

    private Admission storeFailure(IdempotentOperation operation, IdempotencyStoreException ex) {
        if (this.failOpen) {
            logger.warn(
                    "Idempotency store unavailable: running " + operation.name() + " with key '"
                            + operation.key().key() + "' unprotected (idempotency.store.failure-mode=FAIL_OPEN)",
                    ex);
            return new Admission.Unprotected(ex);
        }
        logger.warn(
                "Idempotency store unavailable: refusing " + operation.name() + " with key '"
                        + operation.key().key() + "'",
                ex);
        return new Admission.StoreUnavailable(ex);
    }

    static void rollback(IdempotencyTransactions.Transaction transaction) {
        if (transaction != null) {
            transaction.rollback();
        }
    }
}
