package io.github.idempotency.store.jdbc;

import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.IdempotencyTransactions;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * {@link IdempotencyTransactions} through the application's {@link PlatformTransactionManager}, which must
 * manage the {@link JdbcIdempotencyStore}'s {@code DataSource} ({@code DataSourceTransactionManager},
 * {@code JdbcTransactionManager} or {@code JpaTransactionManager} on that DataSource).
 *
 * <p>Each transaction limits how long its statements wait for a row lock: a concurrent request with the
 * same key waits on the first one's uncommitted claim for at most that long, then answers in progress.
 */
public class JdbcIdempotencyTransactions implements IdempotencyTransactions {

    private static final Log logger = LogFactory.getLog(JdbcIdempotencyTransactions.class);

    private static final boolean JPA_PRESENT = ClassUtils.isPresent(
            "org.springframework.orm.jpa.JpaTransactionManager", JdbcIdempotencyTransactions.class.getClassLoader());

    private final PlatformTransactionManager transactionManager;

    private final JdbcIdempotencyStore store;

    private final DataSource dataSource;

    private final Duration lockTimeout;

    /**
     * Creates transactions for a store.
     * @param transactionManager the manager of the store's DataSource
     * @param store the store whose statements join the transactions
     * @param dataSource the store's DataSource
     * @param lockTimeout how long a claim waits for a concurrent transaction's claim on the same key
     */
    public JdbcIdempotencyTransactions(
            PlatformTransactionManager transactionManager,
            JdbcIdempotencyStore store,
            DataSource dataSource,
            Duration lockTimeout) {
        Assert.notNull(transactionManager, "'transactionManager' must not be null");
        Assert.notNull(store, "'store' must not be null");
        Assert.notNull(dataSource, "'dataSource' must not be null");
        Assert.isTrue(
                lockTimeout != null && !lockTimeout.isNegative() && !lockTimeout.isZero(),
                "'lockTimeout' must be positive");
        this.transactionManager = transactionManager;
        this.store = store;
        this.dataSource = dataSource;
        this.lockTimeout = lockTimeout;
    }

    /**
     * Returns whether a transaction manager manages a DataSource, so that statements on that DataSource join
     * its transactions.
     * @param transactionManager the transaction manager
     * @param dataSource the DataSource
     * @return whether its transactions include the DataSource's statements
     */
    public static boolean manages(PlatformTransactionManager transactionManager, DataSource dataSource) {
        Object resource = (transactionManager instanceof ResourceTransactionManager resourceManager)
                ? resourceManager.getResourceFactory()
                : null;
        if (JPA_PRESENT && transactionManager instanceof JpaTransactionManager jpa) {
            resource = jpa.getDataSource();
        }
        return resource != null && unwrap(resource) == unwrap(dataSource);
    }

    private static Object unwrap(Object dataSource) {
        Object target = dataSource;
        while (target instanceof DelegatingDataSource delegating && delegating.getTargetDataSource() != null) {
            target = delegating.getTargetDataSource();
        }
        return target;
    }

    @Override
    public Transaction begin() {
        TransactionStatus status;
        try {
            status = this.transactionManager.getTransaction(new DefaultTransactionDefinition());
        } catch (TransactionException ex) {
            throw new IdempotencyStoreException("Could not begin a transaction for an idempotent request", ex);
        }
        try {
            this.store.limitLockWait(this.lockTimeout);
        } catch (RuntimeException ex) {
            this.transactionManager.rollback(status);
            throw ex;
        }
        return new SpringTransaction(status);
    }

    /**
     * {@inheritDoc}
     * <p>True when a Spring-managed transaction is active on the calling thread and holds a connection of the
     * store's DataSource in that transaction: the store's {@code JdbcTemplate} then runs its statements on
     * that connection, and they commit with the transaction. A connection of the store's DataSource that is
     * bound in auto-commit does not count: any use of the DataSource inside another DataSource's transaction
     * binds one for that transaction's length, and statements on it commit at once.
     */
    @Override
    public boolean isTransactionActive() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(this.dataSource) instanceof ConnectionHolder holder
                && inTransaction(holder);
    }

    private static boolean inTransaction(ConnectionHolder holder) {
        if (holder.getConnectionHandle() == null) {
            return false;
        }
        try {
            return !holder.getConnection().getAutoCommit();
        } catch (SQLException ex) {
            // A connection that cannot answer cannot run the claim either: as before, taken as joined, so
            // that the claim fails in the caller's transaction rather than outside it.
            return true;
        }
    }

    private final class SpringTransaction implements Transaction {

        private final TransactionStatus status;

        SpringTransaction(TransactionStatus status) {
            this.status = status;
        }

        @Override
        public boolean isRollbackOnly() {
            return this.status.isRollbackOnly();
        }

        @Override
        public void commit() {
            try {
                JdbcIdempotencyTransactions.this.transactionManager.commit(this.status);
            } catch (TransactionException | DataAccessException ex) {
                throw new IdempotencyStoreException("Could not commit an idempotent request's transaction", ex);
            }
        }

        @Override
        public void rollback() {
            if (this.status.isCompleted()) {
                return;
            }
            try {
                JdbcIdempotencyTransactions.this.transactionManager.rollback(this.status);
            } catch (TransactionException ex) {
                logger.warn("Could not roll back an idempotent request's transaction", ex);
            }
        }
    }
}
