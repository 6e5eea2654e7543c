package io.github.idempotency.aop;

import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.engine.Execution;
import io.github.idempotency.engine.IdempotentOperation;
import java.util.HashMap;
import java.util.Map;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Ends a leased execution when the caller's Spring transaction ends rather than when the method returns. A
 * method that runs inside a transaction its store cannot join (Redis, memory, or JDBC on another database)
 * has done its work only once that transaction commits: recorded before, a commit that then fails would
 * leave a record of work that never happened, and every redelivery would get it back instead of running.
 */
final class CallerTransaction {

    private static final boolean TRANSACTIONS_PRESENT = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            CallerTransaction.class.getClassLoader());

    private CallerTransaction() {}

    /**
     * Records the outcome once the calling thread's transaction commits, or releases the key if it rolls
     * back, when the thread runs in one. Until then, a later call with the same key in that transaction gets
     * the outcome from {@link #pendingOutcome}: in the store its key is still in progress, held by this very
     * transaction.
     * @return {@code false} if there is no such transaction, so that the caller ends the execution now
     */
    static boolean endWithTransaction(Execution execution, StoredResponse outcome) {
        return TRANSACTIONS_PRESENT && Synchronization.register(execution, outcome);
    }

    /**
     * Returns the outcome that an earlier call with this key left to be recorded when the calling thread's
     * transaction commits, if there is one.
     * @param key the key
     * @return the earlier call's fingerprint and outcome, or {@code null}
     */
    static Pending pendingOutcome(IdempotencyKey key) {
        return TRANSACTIONS_PRESENT ? PendingOutcomes.find(key) : null;
    }

    /**
     * An outcome waiting for its transaction to commit.
     * @param fingerprint the fingerprint of the call that produced it
     * @param outcome what will be recorded
     */
    record Pending(String fingerprint, StoredResponse outcome) {}

    /**
     * Loaded only where Spring's transactions are on the class path.
     */
    private static final class Synchronization implements TransactionSynchronization {

        private final Execution execution;

        private final StoredResponse outcome;

        private Synchronization(Execution execution, StoredResponse outcome) {
            this.execution = execution;
            this.outcome = outcome;
        }

        static boolean register(Execution execution, StoredResponse outcome) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()
                    || !TransactionSynchronizationManager.isActualTransactionActive()) {
                return false;
            }
            TransactionSynchronizationManager.registerSynchronization(new Synchronization(execution, outcome));
            IdempotentOperation operation = execution.operation();
            PendingOutcomes.add(operation.key(), new Pending(operation.fingerprint(), outcome));
            return true;
        }

        @Override
        public void afterCompletion(int status) {
            // The lease is renewed until here; a crash before it leaves the key to expire and be taken over.
            if (status == STATUS_COMMITTED) {
                this.execution.complete(this.outcome);
            } else {
                this.execution.abandon();
            }
        }
    }

    /**
     * The pending outcomes of the current transaction, by key: a resource bound to it, which follows it
     * through suspension (an inner {@code REQUIRES_NEW} transaction has its own) and goes with it.
     */
    private static final class PendingOutcomes implements TransactionSynchronization {

        private final Map<IdempotencyKey, Pending> outcomes = new HashMap<>();

        static Pending find(IdempotencyKey key) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return null;
            }
            PendingOutcomes pending =
                    (PendingOutcomes) TransactionSynchronizationManager.getResource(PendingOutcomes.class);
            return (pending != null) ? pending.outcomes.get(key) : null;
        }

        static void add(IdempotencyKey key, Pending outcome) {
            PendingOutcomes pending =
                    (PendingOutcomes) TransactionSynchronizationManager.getResource(PendingOutcomes.class);
            if (pending == null) {
                pending = new PendingOutcomes();
                TransactionSynchronizationManager.bindResource(PendingOutcomes.class, pending);
                TransactionSynchronizationManager.registerSynchronization(pending);
            }
            pending.outcomes.put(key, outcome);
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(PendingOutcomes.class);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(PendingOutcomes.class, this);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(PendingOutcomes.class);
        }
    }
}
