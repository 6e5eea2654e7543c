package com.example.payments.api;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a database failure that passes (no connection to be had, connection refused or lost, statement
 * timed out, lock not granted) from one that a retry cannot fix, whatever layer wrapped it: Spring's
 * data-access exceptions, the transaction manager's, Hibernate's, or the driver's and the pool's
 * {@link SQLException}s.
 */
final class TransientDatabaseFailures {

    /** SQL state class 08: connection exception (refused, lost, rejected). */
    private static final String CONNECTION_EXCEPTION = "08";

    private static final int MAX_DEPTH = 16;

    private TransientDatabaseFailures() {}

    /**
     * Returns whether a failure, or any of its causes, is a passing database failure.
     * @param failure what a handler threw
     * @return whether a retry later may succeed
     */
    static boolean isTransient(Throwable failure) {
        Throwable cause = failure;
        // Bounded: a chain of causes can loop back on itself.
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    // Hikari's "Connection is not available, request timed out" is an SQLTransientConnectionException.
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(CONNECTION_EXCEPTION)) {
                return true;
            }
        }
        return false;
    }
}
