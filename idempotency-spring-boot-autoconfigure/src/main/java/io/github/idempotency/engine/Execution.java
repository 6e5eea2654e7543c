package io.github.idempotency.engine;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.IdempotencyTransactions;
import io.github.idempotency.StoredResponse;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A claimed call of an idempotent operation, from the claim until its outcome is recorded or its key
 * released. It ends exactly once: {@link #complete} or {@link #abandon}; later calls do nothing. In the
 * transactional ways it must end on the thread that was admitted, which holds the transaction.
 *
 * <p>From the claim until it ends, the key is in the MDC of the admitted thread
 * ({@value IdempotencyEngine#MDC_KEY}), and the call's {@code idempotency.operation} observation runs; it
 * stops with how the call ended ({@link RecordResult}).
 */
public final class Execution {

    private static final Log logger = LogFactory.getLog(Execution.class);

    private final IdempotencyEngine engine;

    private final IdempotentOperation operation;

    private final ClaimToken token;

    private final LeaseRenewer.Renewal renewal;

    private final IdempotencyTransactions.Transaction transaction;

    private final boolean joined;

    private final ObservedOperation observed;

    private final long startTime;

    private final Thread admittedThread;

    private final String replacedLoggedKey;

    /** Whether the key left the MDC already, when the call returned before the execution ends. */
    private boolean loggedKeyRestored;

    private volatile boolean finished;

    Execution(
            IdempotencyEngine engine,
            IdempotentOperation operation,
            ClaimToken token,
            LeaseRenewer.Renewal renewal,
            IdempotencyTransactions.Transaction transaction,
            boolean joined,
            ObservedOperation observed,
            long startTime) {
        this.engine = engine;
        this.operation = operation;
        this.token = token;
        this.renewal = renewal;
        this.transaction = transaction;
        this.joined = joined;
        this.observed = observed;
        this.startTime = startTime;
        this.admittedThread = Thread.currentThread();
        this.replacedLoggedKey = KeyLogContext.put(operation.key().key());
    }

    /**
     * Returns the call this execution claimed the key for.
     * @return the operation
     */
    public IdempotentOperation operation() {
        return this.operation;
    }

    /**
     * Returns whether the claim is held by a transaction (the engine's own or the caller's) rather than a
     * lease, so that it commits or rolls back with the operation's own writes.
     * @return whether the claim is transactional
     */
    public boolean isTransactional() {
        return this.transaction != null || this.joined;
    }

    /**
     * Returns whether the engine's own transaction can no longer commit, because work that joined it failed.
     * {@link #complete} then rolls it back and records the outcome on its own, which suits an HTTP answer that
     * says what happened (a decline); a front door whose outcome stands for the rolled-back work abandons
     * the execution instead.
     * @return whether only a rollback is possible
     */
    public boolean isRollbackOnly() {
        return this.transaction != null && this.transaction.isRollbackOnly();
    }

    /**
     * Returns whether the execution has ended.
     * @return whether {@link #complete} or {@link #abandon} was called
     */
    public boolean isFinished() {
        return this.finished;
    }

    /**
     * Records the operation's outcome so that retries replay it. With a lease, a failure to record is logged
     * (the operation happened; its key stays claimed until the lease expires, so a retry cannot silently run
     * it again). In the engine's own transaction, recording commits the transaction; in a joined transaction
     * the caller's commit does.
     * @param outcome what retries get back
     * @return {@code false} if the outcome could not be made to stand with the operation's writes: the own
     * transaction could not commit (nothing happened), or the record could not be written into the joined
     * transaction (the caller must roll it back); {@code true} otherwise
     */
    public boolean complete(StoredResponse outcome) {
        if (!finish()) {
            return true;
        }
        // Stays so if something unforeseen escapes: the observation must stop and the MDC be restored anyway.
        RecordResult result = RecordResult.RECORD_FAILED;
        boolean stands = true;
        try (Observation.Scope scope = this.observed.openScope()) {
            if (this.joined) {
                result = completeInJoinedTransaction(outcome);
                stands = result == RecordResult.RECORDED;
            } else if (isRollbackOnly()) {
                // Work that joined the transaction failed and took the claim down with it; the outcome is
                // deterministic all the same (a decline thrown from a transactional service), so record it
                // on its own, as the lease way would.
                this.transaction.rollback();
                result = recordAfterRollback(outcome);
            } else if (this.transaction != null) {
                result = commit(outcome);
                stands = result == RecordResult.RECORDED;
            } else {
                result = completeLeased(outcome);
            }
        } finally {
            end(result);
        }
        return stands;
    }

    /**
     * Ends the execution without recording anything, so that a retry runs the operation again: releases the
     * key, or rolls the engine's own transaction back. In a joined transaction the key is released within it
     * when still possible; the caller's rollback drops it in any case.
     */
    public void abandon() {
        if (!finish()) {
            return;
        }
        RecordResult result = RecordResult.RELEASE_FAILED;
        try (Observation.Scope scope = this.observed.openScope()) {
            if (this.transaction != null) {
                this.transaction.rollback();
                result = RecordResult.RELEASED;
            } else if (this.joined) {
                releaseInJoinedTransaction();
                result = RecordResult.RELEASED;
            } else {
                result = release();
            }
        } finally {
            end(result);
        }
    }

    private boolean finish() {
        if (this.finished) {
            return false;
        }
        this.finished = true;
        if (this.renewal != null) {
            this.renewal.cancel();
        }
        // A failed call held the key as long as a completed one: duplicates waited on either.
        this.engine.ended(this, this.startTime);
        return true;
    }

    /**
     * Takes the key out of the MDC now, because the call has returned although the execution ends later (when
     * the caller's transaction does): what the caller logs meanwhile, other idempotent calls included, is
     * not this call's.
     */
    public void leaveLogContext() {
        if (!this.loggedKeyRestored && Thread.currentThread() == this.admittedThread) {
            this.loggedKeyRestored = true;
            KeyLogContext.restore(this.operation.key().key(), this.replacedLoggedKey);
        }
    }

    /**
     * Stops the observation and takes the key out of the MDC, on the thread that put it there.
     */
    private void end(RecordResult result) {
        this.observed.stop(IdempotencyOutcome.EXECUTED, result, null);
        leaveLogContext();
    }

    private RecordResult completeLeased(StoredResponse outcome) {
        try {
            if (store().complete(this.operation.key(), this.token, outcome, this.operation.ttl())) {
                return RecordResult.RECORDED;
            }
            logger.warn("Outcome of " + this.operation.name() + " with idempotency key '" + key()
                    + "' was not recorded: the lease expired and another caller took the key over");
            return RecordResult.CLAIM_LOST;
        } catch (IdempotencyStoreException ex) {
            logger.error(
                    "Outcome of " + this.operation.name() + " with idempotency key '" + key()
                            + "' could not be recorded, although the operation ran. Retries are refused as in"
                            + " progress until its lease expires (idempotency.lease), and a retry after that runs"
                            + " the operation again. Restore the store, and check this key's operation for a"
                            + " duplicate (under idempotency.expired-lease-policy=BLOCK such a key stays blocked"
                            + " until an operator deletes it with the 'idempotency' actuator endpoint)",
                    ex);
            return RecordResult.RECORD_FAILED;
        }
    }

    private RecordResult commit(StoredResponse outcome) {
        try {
            if (!store().complete(this.operation.key(), this.token, outcome, this.operation.ttl())) {
                throw new IdempotencyStoreException("The claim of the transaction is gone");
            }
            this.transaction.commit();
            return RecordResult.RECORDED;
        } catch (IdempotencyStoreException ex) {
            this.transaction.rollback();
            logger.error(
                    this.operation.name() + " with idempotency key '" + key()
                            + "' could not be committed; it had no effect",
                    ex);
            return RecordResult.RECORD_FAILED;
        }
    }

    private RecordResult recordAfterRollback(StoredResponse outcome) {
        try {
            ClaimResult claim = store().claim(this.operation.key(), this.operation.fingerprint(), this.engine.lease());
            if (claim instanceof ClaimResult.Claimed claimed
                    && store().complete(this.operation.key(), claimed.token(), outcome, this.operation.ttl())) {
                return RecordResult.RECORDED;
            }
            logger.info("Outcome of " + this.operation.name() + " with idempotency key '" + key()
                    + "' was not recorded after its transaction rolled back: a retry already claimed the key");
            return RecordResult.CLAIM_LOST;
        } catch (IdempotencyStoreException ex) {
            logger.warn(
                    "Outcome of " + this.operation.name() + " with idempotency key '" + key()
                            + "' was not recorded after its transaction rolled back; a retry runs it again",
                    ex);
            return RecordResult.RECORD_FAILED;
        }
    }

    private RecordResult completeInJoinedTransaction(StoredResponse outcome) {
        try {
            if (store().complete(this.operation.key(), this.token, outcome, this.operation.ttl())) {
                return RecordResult.RECORDED;
            }
            logger.error("Outcome of " + this.operation.name() + " with idempotency key '" + key()
                    + "' could not be recorded in the caller's transaction: its claim is gone");
        } catch (IdempotencyStoreException ex) {
            logger.error(
                    "Outcome of " + this.operation.name() + " with idempotency key '" + key()
                            + "' could not be recorded in the caller's transaction",
                    ex);
        }
        return RecordResult.RECORD_FAILED;
    }

    private void releaseInJoinedTransaction() {
        try {
            store().release(this.operation.key(), this.token);
        } catch (IdempotencyStoreException ex) {
            // An aborted transaction refuses every statement; its rollback drops the claim anyway.
            logger.debug("Claim of idempotency key '" + key() + "' left to the caller's rollback", ex);
        }
    }

    private RecordResult release() {
        try {
            if (store().release(this.operation.key(), this.token)) {
                return RecordResult.RELEASED;
            }
            logger.warn("Idempotency key '" + key() + "' of " + this.operation.name()
                    + " was not released: the lease expired and another caller took the key over");
            return RecordResult.CLAIM_LOST;
        } catch (IdempotencyStoreException ex) {
            logger.error(
                    "Idempotency key '" + key() + "' of " + this.operation.name()
                            + " could not be released: retries are refused as in progress until its lease expires"
                            + " (idempotency.lease). Restore the store; to let a retry run sooner, delete the key"
                            + " with the 'idempotency' actuator endpoint",
                    ex);
            return RecordResult.RELEASE_FAILED;
        }
    }

    private io.github.idempotency.IdempotencyStore store() {
        return this.engine.store();
    }

    private String key() {
        return this.operation.key().key();
    }
}
