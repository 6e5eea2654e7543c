package io.github.idempotency.aop;

import io.github.idempotency.StoredResponse;
import io.github.idempotency.engine.Execution;
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
     * back, when the thread runs in one.
     * @return {@code false} if there is no such transaction, so that the caller ends the execution now
     */
    static boolean endWithTransaction(Execution execution, StoredResponse outcome) {
        return TRANSACTIONS_PRESENT && Synchronization.register(execution, outcome);
    }

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
}
