package io.github.idempotency.engine;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.IdempotencyTransactions;
import io.github.idempotency.StoredResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A claimed call of an idempotent operation, from the claim until its outcome is recorded or its key
 * released. It ends exactly once: {@link #complete} or {@link #abandon}; later calls do nothing. In the
 * transactional ways it must end on the thread that was admitted, which holds the transaction.
 */
public final class Execution {

    private static final Log logger = LogFactory.getLog(Execution.class);

    private final IdempotencyEngine engine;

    private final IdempotentOperation operation;

    private final ClaimToken token;

    private final LeaseRenewer.Renewal renewal;

    private final IdempotencyTransactions.Transaction transaction;

    private final boolean joined;

    private final long startTime;

    private volatile boolean finished;

    Execution(
            IdempotencyEngine engine,
            IdempotentOperation operation,
            ClaimToken token,
            LeaseRenewer.Renewal renewal,
            IdempotencyTransactions.Transaction transaction,
            boolean joined,
            long startTime) {
        this.engine = engine;
        this.operation = operation;
        this.token = token;
        this.renewal = renewal;
        this.transaction = transaction;
        this.joined = joined;
        this.startTime = startTime;
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
        if (this.joined) {
            return completeInJoinedTransaction(outcome);
        }
        if (this.transaction != null) {
            return commit(outcome);
        }
        completeLeased(outcome);
        return true;
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
        if (this.transaction != null) {
            this.transaction.rollback();
        } else if (this.joined) {
            releaseInJoinedTransaction();
        } else {
            release();
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

    private void completeLeased(StoredResponse outcome) {
        try {
            if (!store().complete(this.operation.key(), this.token, outcome, this.operation.ttl())) {
                logger.warn("Outcome of " + this.operation.name() + " with idempotency key '" + key()
                        + "' was not recorded: the lease expired and another caller took the key over");
            }
        } catch (IdempotencyStoreException ex) {
            logger.error(
                    "Outcome of " + this.operation.name() + " with idempotency key '" + key()
                            + "' could not be recorded; the key stays in progress until its lease expires",
                    ex);
        }
    }

    private boolean commit(StoredResponse outcome) {
        if (this.transaction.isRollbackOnly()) {
            // Work that joined the transaction failed and took the claim down with it; the outcome is
            // deterministic all the same (a decline thrown from a transactional service), so record it on
            // its own, as the lease way would.
            this.transaction.rollback();
            recordAfterRollback(outcome);
            return true;
        }
        try {
            if (!store().complete(this.operation.key(), this.token, outcome, this.operation.ttl())) {
                throw new IdempotencyStoreException("The claim of the transaction is gone");
            }
            this.transaction.commit();
            return true;
        } catch (IdempotencyStoreException ex) {
            this.transaction.rollback();
            logger.error(
                    this.operation.name() + " with idempotency key '" + key()
                            + "' could not be committed; it had no effect",
                    ex);
            return false;
        }
    }

    private void recordAfterRollback(StoredResponse outcome) {
        try {
            ClaimResult claim = store().claim(this.operation.key(), this.operation.fingerprint(), this.engine.lease());
            if (claim instanceof ClaimResult.Claimed claimed) {
                store().complete(this.operation.key(), claimed.token(), outcome, this.operation.ttl());
            } else {
                logger.info("Outcome of " + this.operation.name() + " with idempotency key '" + key()
                        + "' was not recorded after its transaction rolled back: a retry already claimed the key");
            }
        } catch (IdempotencyStoreException ex) {
            logger.warn(
                    "Outcome of " + this.operation.name() + " with idempotency key '" + key()
                            + "' was not recorded after its transaction rolled back; a retry runs it again",
                    ex);
        }
    }

    private boolean completeInJoinedTransaction(StoredResponse outcome) {
        try {
            if (store().complete(this.operation.key(), this.token, outcome, this.operation.ttl())) {
                return true;
            }
            logger.error("Outcome of " + this.operation.name() + " with idempotency key '" + key()
                    + "' could not be recorded in the caller's transaction: its claim is gone");
        } catch (IdempotencyStoreException ex) {
            logger.error(
                    "Outcome of " + this.operation.name() + " with idempotency key '" + key()
                            + "' could not be recorded in the caller's transaction",
                    ex);
        }
        return false;
    }

    private void releaseInJoinedTransaction() {
        try {
            store().release(this.operation.key(), this.token);
        } catch (IdempotencyStoreException ex) {
            // An aborted transaction refuses every statement; its rollback drops the claim anyway.
            logger.debug("Claim of idempotency key '" + key() + "' left to the caller's rollback", ex);
        }
    }

    private void release() {
        try {
            if (!store().release(this.operation.key(), this.token)) {
                logger.warn("Idempotency key '" + key() + "' of " + this.operation.name()
                        + " was not released: the lease expired and another caller took the key over");
            }
        } catch (IdempotencyStoreException ex) {
            logger.error(
                    "Idempotency key '" + key() + "' of " + this.operation.name()
                            + " could not be released; retries are refused as in progress until its lease expires",
                    ex);
        }
    }

    private io.github.idempotency.IdempotencyStore store() {
        return this.engine.store();
    }

    private String key() {
        return this.operation.key().key();
    }
}
