package io.github.idempotency;

/**
 * Runs a claim, the operation's own writes and the recorded response in one database transaction, so that
 * a crash or a rollback leaves either all of them or none: the transactional mode of a store that shares
 * the application's database.
 */
public interface IdempotencyTransactions {

    /**
     * Begins a transaction bound to the calling thread; the store's statements and the operation's
     * transactional work on the same thread join it.
     * @return the transaction, to be committed or rolled back on the same thread
     * @throws IdempotencyStoreException if the transaction cannot begin
     */
    Transaction begin();

    /**
     * Returns whether the calling thread already runs in a transaction that the store's statements join, so
     * that a claim and its record commit or roll back with the caller's own work without a transaction of
     * their own.
     * @return whether a joinable transaction is active
     */
    boolean isTransactionActive();

    /**
     * A transaction begun by {@link #begin()}.
     */
    interface Transaction {

        /**
         * Returns whether the transaction can no longer commit, because work that joined it failed.
         * @return whether only a rollback is possible
         */
        boolean isRollbackOnly();

        /**
         * Commits the transaction.
         * @throws IdempotencyStoreException if the commit fails; nothing was committed
         */
        void commit();

        /**
         * Rolls the transaction back; failures are not reported, since nothing is kept either way.
         */
        void rollback();
    }
}
