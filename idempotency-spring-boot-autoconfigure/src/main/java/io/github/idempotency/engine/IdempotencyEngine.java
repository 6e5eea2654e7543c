package io.github.idempotency.engine;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.IdempotencyTransactions;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
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
 *
 * <p>Every call is observed, whichever front door it came through: one {@code idempotency.operation}
 * observation per call (see {@link DefaultIdempotencyObservationConvention} for its tags), one
 * {@code idempotency.store} observation per store call, and the key in the MDC ({@value #MDC_KEY}) while an
 * admitted operation runs. A call that a front door refuses before it reaches the engine is reported
 * through {@link #reject}. With {@link ObservationRegistry#NOOP} none of it costs anything but the MDC.
 */
public class IdempotencyEngine {

    private static final Log logger = LogFactory.getLog(IdempotencyEngine.class);

    /** The MDC entry that holds the key of the operation running on a thread. */
    public static final String MDC_KEY = "idempotency.key";

    private final IdempotencyStore store;

    private final LeaseRenewer leaseRenewer;

    private final IdempotencyTransactions transactions;

    private final Duration lease;

    private final boolean failOpen;

    private final IdempotencyObservations observations;

    private final InProgressRetryAfter retryAfter;

    private final StoreOutageLog outageLog;

    /**
     * Creates an engine that observes nothing and estimates the {@link Admission.InProgress#retryAfter()} of
     * refused calls from recent durations on the system clock.
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
        this(
                store,
                leaseRenewer,
                transactions,
                lease,
                failOpen,
                InProgressRetryAfter.estimated(Clock.systemUTC()),
                ObservationRegistry.NOOP);
    }

    /**
     * Creates an engine.
     * @param store where keys are claimed and outcomes recorded
     * @param leaseRenewer renews the leases of running operations
     * @param transactions the store's transactions, {@code null} when it offers none
     * @param lease how long a claim blocks others before it can be taken over
     * @param failOpen whether an operation runs unprotected when the store cannot answer
     * @param retryAfter tells calls refused as in progress when to come back
     * @param observationRegistry where calls and store calls are observed, {@link ObservationRegistry#NOOP}
     * for nowhere
     */
    public IdempotencyEngine(
            IdempotencyStore store,
            LeaseRenewer leaseRenewer,
            IdempotencyTransactions transactions,
            Duration lease,
            boolean failOpen,
            InProgressRetryAfter retryAfter,
            ObservationRegistry observationRegistry) {
        Assert.notNull(store, "'store' must not be null");
        Assert.notNull(leaseRenewer, "'leaseRenewer' must not be null");
        Assert.isTrue(lease != null && !lease.isNegative() && !lease.isZero(), "'lease' must be positive");
        Assert.notNull(retryAfter, "'retryAfter' must not be null");
        Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
        this.observations = new IdempotencyObservations(observationRegistry, IdempotencyObservations.storeName(store));
        // Unobserved, the store is called directly: not even a wrapper's call is added per request.
        this.store = (observationRegistry != ObservationRegistry.NOOP)
                ? new ObservedIdempotencyStore(store, observationRegistry, this.observations.storeName())
                : store;
        this.leaseRenewer = leaseRenewer;
        this.transactions = transactions;
        this.lease = lease;
        this.failOpen = failOpen;
        this.retryAfter = retryAfter;
        this.outageLog = new StoreOutageLog(
                logger,
                failOpen
                        ? "Idempotency store (idempotency.store.failure-mode=FAIL_OPEN: operations run unprotected"
                                + " while it fails)"
                        : "Idempotency store (operations are refused while it fails)");
    }

    /**
     * Sets the convention that names and tags the {@code idempotency.operation} observation, replacing the
     * {@link DefaultIdempotencyObservationConvention}.
     * @param convention the convention, {@code null} for the default
     */
    public void setObservationConvention(IdempotencyObservationConvention convention) {
        this.observations.setConvention(convention);
    }

    /**
     * Claims the operation's key and decides what the call does. A {@link Admission.Proceed} must be ended,
     * on the calling thread, by {@link Execution#complete} or {@link Execution#abandon}.
     * @param operation the call
     * @return the decision, never {@code null}
     * @throws IllegalStateException if the operation is transactional and the store offers no transactions
     */
    public Admission admit(IdempotentOperation operation) {
        ObservedOperation observed = this.observations.start(operation.name());
        Admission admission;
        try {
            admission = claim(operation, observed);
        } catch (RuntimeException | Error ex) {
            // Not a store failure but a misuse or a bug: the observation stops with the outcome unknown.
            observed.stop(null, RecordResult.NONE, ex);
            throw ex;
        }
        if (!(admission instanceof Admission.Proceed)) {
            // A call that does not run under a claim ends here; an admitted one when its execution ends.
            observed.stop(outcome(admission), RecordResult.NONE, failure(admission));
        }
        return admission;
    }

    /**
     * Reports a call that a front door refused before it reached the engine, because its key was missing
     * or invalid (or, over HTTP, its body too large to fingerprint): it is observed with the outcome
     * {@link IdempotencyOutcome#REJECTED}.
     * @param operationName the operation's low-cardinality name ({@link IdempotentOperation#name()})
     */
    public void reject(String operationName) {
        report(operationName, IdempotencyOutcome.REJECTED);
    }

    /**
     * Reports a call that a front door answered without the store, such as a duplicate within one caller's
     * transaction answered from the outcome that waits for it to commit.
     * @param operationName the operation's low-cardinality name ({@link IdempotentOperation#name()})
     * @param outcome what the call came to
     */
    public void report(String operationName, IdempotencyOutcome outcome) {
        this.observations.start(operationName).stop(outcome, RecordResult.NONE, null);
    }

    private Admission claim(IdempotentOperation operation, ObservedOperation observed) {
        IdempotencyTransactions.Transaction transaction = null;
        boolean joined = false;
        ClaimResult claim;
        try {
            if (operation.transactional()) {
                transaction = beginTransaction(operation);
            } else {
                joined = isTransactionActive();
            }
            try (Observation.Scope scope = observed.openScope()) {
                claim = this.store.claim(operation.key(), operation.fingerprint(), this.lease);
            }
        } catch (IdempotencyStoreException ex) {
            rollback(transaction);
            this.outageLog.failure(ex);
            return storeFailure(operation, ex, joined);
        } catch (RuntimeException | Error ex) {
            // Not the store's failure, but the transaction begun here must not stay bound to the thread.
            rollback(transaction);
            throw ex;
        }
        this.outageLog.success();
        if (claim instanceof ClaimResult.Claimed claimed) {
            LeaseRenewer.Renewal renewal = (transaction != null || joined)
                    ? null
                    : this.leaseRenewer.start(this.store, operation.key(), claimed.token(), this.lease);
            return new Admission.Proceed(new Execution(
                    this,
                    operation,
                    claimed.token(),
                    renewal,
                    transaction,
                    joined,
                    observed,
                    this.retryAfter.started()));
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

    private boolean isTransactionActive() {
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

    private static IdempotencyOutcome outcome(Admission admission) {
        if (admission instanceof Admission.Replay) {
            return IdempotencyOutcome.REPLAYED;
        }
        if (admission instanceof Admission.InProgress) {
            return IdempotencyOutcome.IN_PROGRESS;
        }
        if (admission instanceof Admission.KeyReused) {
            return IdempotencyOutcome.KEY_REUSED;
        }
        if (admission instanceof Admission.Unprotected) {
            return IdempotencyOutcome.FAIL_OPEN;
        }
        return IdempotencyOutcome.STORE_UNAVAILABLE;
    }

    private static Throwable failure(Admission admission) {
        if (admission instanceof Admission.StoreUnavailable unavailable) {
            return unavailable.cause();
        }
        return (admission instanceof Admission.Unprotected unprotected) ? unprotected.cause() : null;
    }

    private IdempotencyTransactions.Transaction beginTransaction(IdempotentOperation operation) {
        if (this.transactions == null) {
            throw new IllegalStateException("Idempotent operation " + operation.name()
                    + " is transactional, but the store offers no transactions");
        }
        return this.transactions.begin();
    }

    /**
     * Decides what a call does when its claim failed. The failure itself goes to the outage log, which keeps
     * an outage to a few lines however many calls it refuses; each call's key is logged at debug level.
     */
    private Admission storeFailure(IdempotentOperation operation, IdempotencyStoreException ex, boolean joined) {
        // Never in the caller's transaction: a claim that failed there may be a duplicate that waited on the
        // first call's uncommitted row until the store's timeout, and on PostgreSQL the failed statement has
        // aborted the transaction, so the operation could only run beside the first one and then fail.
        if (this.failOpen && !joined) {
            if (logger.isDebugEnabled()) {
                logger.debug("Running " + operation.name() + " with key '"
                        + operation.key().key() + "' unprotected: the idempotency store cannot answer");
            }
            return new Admission.Unprotected(ex);
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Refusing " + operation.name() + " with key '"
                    + operation.key().key() + "': the idempotency store cannot answer");
        }
        return new Admission.StoreUnavailable(ex);
    }

    static void rollback(IdempotencyTransactions.Transaction transaction) {
        if (transaction != null) {
            transaction.rollback();
        }
    }
}
