package io.github.idempotency.store.jdbc;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredRecord;
import io.github.idempotency.StoredResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.SqlProvider;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} in a relational database table, reached through {@link JdbcOperations} on the
 * application's {@code DataSource}. The table's primary key on (scope hash, key) decides which of concurrent
 * claimers wins; the schema scripts {@code schema-postgresql.sql} and {@code schema-h2.sql} next to this
 * class create the table.
 *
 * <p>On PostgreSQL a claim is one statement, for a new key and for a replay alike: an
 * {@code INSERT ... ON CONFLICT DO NOTHING} that also reads the row it could not insert, so replays raise no
 * duplicate-key errors, neither in the server's log nor in an enclosing transaction. On other databases a
 * claim inserts the row, and a duplicate-key error sends it to read the row that is there.
 *
 * <p>Every statement joins the Spring-managed transaction active on the calling thread, if any: the record
 * then commits or rolls back with the business data. Outside a transaction each statement commits on its
 * own. Times are epoch milliseconds from the injected {@link Clock}, so the instances sharing a table must
 * have synchronised clocks; a skew shortens or lengthens leases and times to live by as much.
 *
 * <p>Expired rows are not deleted by claims; {@link #purgeExpired(int)} deletes them, typically run by a
 * {@link JdbcIdempotencyStorePurger}.
 */
public class JdbcIdempotencyStore implements IdempotencyStore {

    /** Table name placeholder in the SQL constants. */
    private static final String TABLE = "%TABLE%";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private static final String IN_PROGRESS = "IN_PROGRESS";

    private static final String COMPLETED = "COMPLETED";

    /**
     * How often a claim starts again after a concurrent change hid the row it collided with. Each retry
     * needs another claimer's row to appear or vanish in the instant between two statements, so a few
     * attempts are plenty; running out means something keeps the row invisible (see {@link #claim}).
     */
    private static final int MAX_CLAIM_ATTEMPTS = 5;

    private static final String RECORD_COLUMNS = """
            fingerprint, status, owner_token, lease_expires_at, expires_at, created_at, response_status, \
            response_headers, response_body, response_body_omitted""";

    /*
     * A data-modifying CTE's changes are invisible to the rest of the statement, so the outer query sees the
     * row that blocked the insert, and no row when the insert succeeded. The outer query starts from a
     * one-row relation so that exactly one row comes back either way.
     */
    private static final String CLAIM_POSTGRESQL = """
            WITH %COMMIT%inserted AS (
                INSERT INTO %TABLE% (scope_hash, idempotency_key, fingerprint, status, owner_token,
                    lease_expires_at, expires_at, created_at, response_body_omitted)
                VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?, ?, ?, %BODY_OMITTED%)
                ON CONFLICT (scope_hash, idempotency_key) DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM inserted) AS inserted_count, %COLUMNS%
            FROM (SELECT 1) AS one
            LEFT JOIN %TABLE% t ON t.scope_hash = ? AND t.idempotency_key = ?%COMMIT_REFERENCE%
            """.replace("%COLUMNS%", qualified("t", RECORD_COLUMNS));

    /*
     * Turns off the flush of the claim's own commit, in the claim's statement itself: a setting local to the
     * statement's implicit transaction is still in force when that transaction commits, and costs no round
     * trip. Referencing the CTE is what makes PostgreSQL evaluate it.
     */
    private static final String ASYNC_COMMIT_CTE =
            "async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),\n    ";

    private static final String ASYNC_COMMIT_REFERENCE = "\nCROSS JOIN async_commit";

    /*
     * Limits the lock wait of the rest of the transaction, the claim's own insert included, without a
     * statement of its own: the row to insert, and so this value, is computed before the insert checks for a
     * conflicting row and waits on it. set_config returns the value it set, never NULL, so the column gets
     * FALSE. Its one parameter, the timeout in milliseconds, follows the values of a new claim.
     */
    private static final String LOCK_LIMITED_BODY_OMITTED = "(set_config('lock_timeout', ?, true) IS NULL)";

    private static final String INSERT = """
            INSERT INTO %TABLE% (scope_hash, idempotency_key, fingerprint, status, owner_token,
                lease_expires_at, expires_at, created_at, response_body_omitted)
            VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?, ?, ?, FALSE)
            """;

    private static final String SELECT = """
            SELECT %COLUMNS%
            FROM %TABLE%
            WHERE scope_hash = ? AND idempotency_key = ?
            """.replace("%COLUMNS%", RECORD_COLUMNS);

    /*
     * Replaces a row whose lease or time to live has passed with a new claim. The owner token and the expiry
     * condition make it conditional on the row still being the expired one this claim saw: of concurrent
     * takeovers, the first to update wins, and the others, re-checking the condition on the updated row,
     * change nothing. An in-progress row's expires_at is always its lease's end.
     */
    private static final String REPLACE_EXPIRED = """
            UPDATE %TABLE%
            SET fingerprint = ?, status = 'IN_PROGRESS', owner_token = ?, lease_expires_at = ?, expires_at = ?,
                created_at = ?, response_status = NULL, response_headers = NULL, response_body = NULL,
                response_body_omitted = FALSE
            WHERE scope_hash = ? AND idempotency_key = ? AND owner_token = ? AND status = ? AND expires_at <= ?
            """;

    private static final String COMPLETE = """
            UPDATE %TABLE%
            SET status = 'COMPLETED', lease_expires_at = NULL, expires_at = ?, response_status = ?,
                response_headers = ?, response_body = ?, response_body_omitted = ?
            WHERE scope_hash = ? AND idempotency_key = ? AND owner_token = ? AND status = 'IN_PROGRESS'
            """;

    private static final String RELEASE = """
            DELETE FROM %TABLE%
            WHERE scope_hash = ? AND idempotency_key = ? AND owner_token = ? AND status = 'IN_PROGRESS'
            """;

    private static final String FIND = """
            SELECT %COLUMNS%
            FROM %TABLE%
            WHERE scope_hash = ? AND idempotency_key = ?
            """.replace("%COLUMNS%", RECORD_COLUMNS);

    private static final String DELETE = """
            DELETE FROM %TABLE%
            WHERE scope_hash = ? AND idempotency_key = ?
            """;

    private static final String RENEW = """
            UPDATE %TABLE%
            SET lease_expires_at = ?, expires_at = ?
            WHERE scope_hash = ? AND idempotency_key = ? AND owner_token = ? AND status = 'IN_PROGRESS'
            """;

    /*
     * Portable batch delete: LIMIT in a subquery works on PostgreSQL and H2, DELETE ... LIMIT does not.
     * The outer query repeats the expiry condition because PostgreSQL re-checks only the outer conditions
     * on a row a concurrent claim has just taken over; without it, that fresh claim would be deleted.
     */
    private static final String PURGE = """
            DELETE FROM %TABLE%
            WHERE expires_at <= ?%CONDITION% AND (scope_hash, idempotency_key) IN (
                SELECT scope_hash, idempotency_key FROM %TABLE% WHERE expires_at <= ?%CONDITION% LIMIT ?
            )
            """;

    private final JdbcOperations jdbcOperations;

    private final String tableName;

    private final Clock clock;

    private final ExpiredLeasePolicy expiredLeasePolicy;

    private final String claimPostgresqlSql;

    private final String claimPostgresqlAsyncSql;

    private final String claimPostgresqlLockLimitedSql;

    private final String insertSql;

    private final String selectSql;

    private final String replaceExpiredSql;

    private final String completeSql;

    private final String releaseSql;

    private final String renewSql;

    private final String findSql;

    private final String deleteSql;

    private final String purgeSql;

    private volatile int queryTimeoutSeconds = 5;

    private volatile ClaimCommit claimCommit = ClaimCommit.SYNC;

    private volatile Boolean postgresql;

    /** The key of the lock wait limit bound to a transaction by {@link #limitLockWait}, until its first claim. */
    private final Object lockWaitResource = new Object();

    /**
     * Creates a store. Nothing is read from the database until the first claim, which detects whether it is
     * PostgreSQL.
     * @param jdbcOperations access to the database holding the table, typically the application's
     * {@code JdbcTemplate}
     * @param tableName the table's name, optionally qualified by its schema ({@code schema.table}); plain SQL
     * identifiers only
     * @param clock source of the current time for leases and times to live
     * @param expiredLeasePolicy what a claim does with an expired lease
     * @throws IllegalArgumentException if an argument is missing or the table name is not a plain identifier
     */
    public JdbcIdempotencyStore(
            JdbcOperations jdbcOperations, String tableName, Clock clock, ExpiredLeasePolicy expiredLeasePolicy) {
        Assert.notNull(jdbcOperations, "'jdbcOperations' must not be null");
        Assert.notNull(clock, "'clock' must not be null");
        Assert.notNull(expiredLeasePolicy, "'expiredLeasePolicy' must not be null");
        validateTableName(tableName);
        this.jdbcOperations = jdbcOperations;
        this.tableName = tableName;
        this.clock = clock;
        this.expiredLeasePolicy = expiredLeasePolicy;
        String claim = CLAIM_POSTGRESQL.replace("%COMMIT%", "").replace("%COMMIT_REFERENCE%", "");
        this.claimPostgresqlSql = sql(claim.replace("%BODY_OMITTED%", "FALSE"));
        this.claimPostgresqlLockLimitedSql = sql(claim.replace("%BODY_OMITTED%", LOCK_LIMITED_BODY_OMITTED));
        this.claimPostgresqlAsyncSql = sql(CLAIM_POSTGRESQL
                .replace("%COMMIT%", ASYNC_COMMIT_CTE)
                .replace("%COMMIT_REFERENCE%", ASYNC_COMMIT_REFERENCE)
                .replace("%BODY_OMITTED%", "FALSE"));
        this.insertSql = sql(INSERT);
        this.selectSql = sql(SELECT);
        this.replaceExpiredSql = sql(REPLACE_EXPIRED);
        this.completeSql = sql(COMPLETE);
        this.releaseSql = sql(RELEASE);
        this.renewSql = sql(RENEW);
        this.findSql = sql(FIND);
        this.deleteSql = sql(DELETE);
        // Under BLOCK an abandoned claim stays until an operator deletes it, so only responses expire.
        String condition = (expiredLeasePolicy == ExpiredLeasePolicy.BLOCK) ? " AND status = 'COMPLETED'" : "";
        this.purgeSql = sql(PURGE.replace("%CONDITION%", condition));
    }

    /**
     * Checks that a table name is a plain SQL identifier, optionally qualified by a schema, so that it can be
     * put into SQL text without quoting and without risk of injection.
     * @param tableName the name to check
     * @throws IllegalArgumentException if it is not
     */
    static void validateTableName(String tableName) {
        Assert.hasText(tableName, "'tableName' must not be empty");
        String[] parts = tableName.split("\\.", -1);
        boolean valid = parts.length <= 2;
        for (String part : parts) {
            valid = valid && IDENTIFIER.matcher(part).matches();
        }
        Assert.isTrue(
                valid,
                () -> "'tableName' must be a plain SQL identifier, optionally qualified by a schema"
                        + " (letters, digits, '_' and '$', not starting with a digit), not '" + tableName + "'");
    }

    /**
     * Sets the longest any statement of the store may run before the driver cancels it, so that a database
     * that stopped answering fails a request instead of holding it. A shorter timeout of an enclosing
     * transaction, or of the {@code JdbcTemplate}, still applies. Whole seconds, rounded up; zero disables
     * it. Defaults to 5 seconds.
     * @param queryTimeout the timeout, zero or more
     */
    public void setQueryTimeout(Duration queryTimeout) {
        Assert.isTrue(queryTimeout != null && !queryTimeout.isNegative(), "'queryTimeout' must be zero or more");
        long seconds = queryTimeout.getSeconds() + ((queryTimeout.getNano() > 0) ? 1 : 0);
        this.queryTimeoutSeconds = (int) Math.min(seconds, Integer.MAX_VALUE);
    }

    /**
     * Sets how the commit of a new claim is made durable on PostgreSQL. {@link ClaimCommit#ASYNC} applies
     * only to claims outside a transaction (the lease mode); in a transaction the claim commits with the
     * transaction's work, as that transaction's settings say. Other databases ignore it. Defaults to
     * {@link ClaimCommit#SYNC}.
     * @param claimCommit how claims commit
     */
    public void setClaimCommit(ClaimCommit claimCommit) {
        Assert.notNull(claimCommit, "'claimCommit' must not be null");
        this.claimCommit = claimCommit;
    }

    /**
     * {@inheritDoc}
     * <p>When the row of a concurrent claim appears between the insert and the read of a claim, as it can
     * when the other transaction commits in between, the claim starts again, a few times at most. Claims
     * should therefore run outside a transaction or in a {@code READ COMMITTED} one: under a stricter
     * isolation a row committed after the transaction began stays invisible, and the claim fails with an
     * {@link IdempotencyStoreException} instead of waiting for it.
     */
    @Override
    public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
        Assert.notNull(key, "'key' must not be null");
        Assert.hasText(fingerprint, "'fingerprint' must not be empty");
        Assert.isTrue(lease != null && !lease.isNegative(), "'lease' must be zero or more");
        try {
            String scopeHash = scopeHash(key.scope());
            for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
                ClaimResult result = attemptClaim(scopeHash, key.key(), fingerprint, lease.toMillis());
                if (result != null) {
                    return result;
                }
            }
        } catch (DataAccessException ex) {
            if (isLockTimeout(ex)) {
                // In a transaction, the claim waited on a concurrent transaction's uncommitted claim of the
                // same key for longer than the lock timeout: that request is still running.
                return new ClaimResult.InProgress(Duration.ZERO);
            }
            throw failure("claim an idempotency key", ex);
        }
        throw new IdempotencyStoreException("Could not claim an idempotency key in table '" + this.tableName
                + "': the record changed under " + MAX_CLAIM_ATTEMPTS
                + " attempts in a row, or stayed invisible to a transaction that began before it was written");
    }

    @Override
    public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
        Assert.notNull(key, "'key' must not be null");
        Assert.notNull(token, "'token' must not be null");
        Assert.notNull(response, "'response' must not be null");
        Assert.isTrue(ttl != null && !ttl.isNegative(), "'ttl' must be zero or more");
        long now = this.clock.millis();
        return updateOwned(
                "complete an idempotency record",
                this.completeSql,
                (statement) -> {
                    statement.setLong(1, now + ttl.toMillis());
                    statement.setInt(2, response.status());
                    statement.setString(3, response.encodeHeaders());
                    // The record's own array: StoredResponse does not copy it, and neither does the driver.
                    statement.setBytes(4, response.body());
                    statement.setBoolean(5, response.bodyOmitted());
                    return 6;
                },
                key,
                token);
    }

    @Override
    public boolean release(IdempotencyKey key, ClaimToken token) {
        Assert.notNull(key, "'key' must not be null");
        Assert.notNull(token, "'token' must not be null");
        return updateOwned("release an idempotency key", this.releaseSql, (statement) -> 1, key, token);
    }

    @Override
    public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
        Assert.notNull(key, "'key' must not be null");
        Assert.notNull(token, "'token' must not be null");
        Assert.isTrue(lease != null && !lease.isNegative(), "'lease' must be zero or more");
        long leaseExpiresAt = this.clock.millis() + lease.toMillis();
        return updateOwned(
                "renew an idempotency lease",
                this.renewSql,
                (statement) -> {
                    statement.setLong(1, leaseExpiresAt);
                    statement.setLong(2, leaseExpiresAt);
                    return 3;
                },
                key,
                token);
    }

    @Override
    public Optional<StoredRecord> find(IdempotencyKey key) {
        Assert.notNull(key, "'key' must not be null");
        String scopeHash = scopeHash(key.scope());
        long now = this.clock.millis();
        try {
            return execute(this.findSql, (statement) -> {
                statement.setString(1, scopeHash);
                statement.setString(2, key.key());
                try (ResultSet resultSet = statement.executeQuery()) {
                    if (!resultSet.next()) {
                        return Optional.empty();
                    }
                    Row row = Row.read(resultSet);
                    Instant createdAt = Instant.ofEpochMilli(row.createdAt());
                    if (IN_PROGRESS.equals(row.status())) {
                        return Optional.of(
                                StoredRecord.inProgress(createdAt, Instant.ofEpochMilli(row.leaseExpiresAt())));
                    }
                    // Past its time to live a response is no longer replayed: claims treat it as absent.
                    return (row.expiresAt() <= now)
                            ? Optional.empty()
                            : Optional.of(StoredRecord.completed(
                                    createdAt, Instant.ofEpochMilli(row.expiresAt()), row.response()));
                }
            });
        } catch (DataAccessException ex) {
            throw failure("look up an idempotency record", ex);
        }
    }

    @Override
    public boolean delete(IdempotencyKey key) {
        Assert.notNull(key, "'key' must not be null");
        String scopeHash = scopeHash(key.scope());
        try {
            return execute(this.deleteSql, (statement) -> {
                statement.setString(1, scopeHash);
                statement.setString(2, key.key());
                return statement.executeUpdate() > 0;
            });
        } catch (DataAccessException ex) {
            throw failure("delete an idempotency record", ex);
        }
    }

    /**
     * Limits how long the statements of the current transaction wait for a row lock, on PostgreSQL through
     * the {@code lock_timeout} setting local to the transaction; on other databases their own lock timeout
     * applies. Called at the start of a transaction in which claims wait on concurrent transactions'
     * uncommitted claims: a claim that waits longer answers {@link ClaimResult.InProgress}. Within a
     * Spring-managed transaction with synchronization, the setting costs no statement of its own: the
     * transaction's first claim sets it before its insert can wait, and it holds for the rest of the
     * transaction; elsewhere it is set at once, with {@code SET LOCAL}.
     * @param timeout the longest wait
     * @throws IdempotencyStoreException if the database cannot be reached
     */
    public void limitLockWait(Duration timeout) {
        Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
        long millis = Math.max(1, timeout.toMillis());
        try {
            if (!isPostgresql()) {
                return;
            }
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                Object previous = TransactionSynchronizationManager.unbindResourceIfPossible(this.lockWaitResource);
                TransactionSynchronizationManager.bindResource(this.lockWaitResource, millis);
                if (previous == null) {
                    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

                        @Override
                        public void afterCompletion(int status) {
                            TransactionSynchronizationManager.unbindResourceIfPossible(lockWaitResource);
                        }
                    });
                }
                return;
            }
            // SET takes no bind parameters; the value is a number formatted here.
            this.jdbcOperations.execute("SET LOCAL lock_timeout = " + millis);
        } catch (DataAccessException ex) {
            throw failure("limit the lock wait of a transaction", ex);
        }
    }

    /**
     * Deletes the rows whose time to live has passed: completed records past their expiry, and in-progress
     * records past their lease under {@link ExpiredLeasePolicy#TAKE_OVER} (under
     * {@link ExpiredLeasePolicy#BLOCK} an abandoned claim stays until an operator deletes it). Each statement
     * deletes at most {@code batchSize} rows, so that none holds many locks for long; statements follow one
     * another until one deletes fewer.
     * @param batchSize the most rows one statement deletes
     * @return how many rows were deleted
     * @throws IdempotencyStoreException if the database cannot be reached or fails
     */
    public int purgeExpired(int batchSize) {
        Assert.isTrue(batchSize > 0, "'batchSize' must be positive");
        long now = this.clock.millis();
        int total = 0;
        try {
            int deleted;
            do {
                deleted = execute(this.purgeSql, (statement) -> {
                    statement.setLong(1, now);
                    statement.setLong(2, now);
                    statement.setInt(3, batchSize);
                    return statement.executeUpdate();
                });
                total += deleted;
            } while (deleted >= batchSize);
        } catch (DataAccessException ex) {
            throw failure("purge expired idempotency records (" + total + " deleted before the failure)", ex);
        }
        return total;
    }

    /**
     * Makes one attempt at a claim.
     * @return the outcome, or {@code null} when a concurrent change hid the row the claim collided with
     */
    private ClaimResult attemptClaim(String scopeHash, String key, String fingerprint, long leaseMillis) {
        long now = this.clock.millis();
        ClaimToken token = ClaimToken.random();
        Row row;
        if (isPostgresql()) {
            Long lockWaitMillis = (Long) TransactionSynchronizationManager.getResource(this.lockWaitResource);
            String sql = (lockWaitMillis != null) ? this.claimPostgresqlLockLimitedSql : claimPostgresqlSql();
            row = execute(sql, (statement) -> {
                int next = bindNewClaim(statement, scopeHash, key, fingerprint, token, now, leaseMillis);
                if (lockWaitMillis != null) {
                    statement.setString(next++, Long.toString(lockWaitMillis));
                }
                statement.setString(next, scopeHash);
                statement.setString(next + 1, key);
                try (ResultSet resultSet = statement.executeQuery()) {
                    resultSet.next();
                    return (resultSet.getLong("inserted_count") > 0) ? Row.INSERTED : Row.read(resultSet);
                }
            });
        } else {
            row = insertOrSelect(scopeHash, key, fingerprint, token, now, leaseMillis);
        }
        if (row == Row.INSERTED) {
            return new ClaimResult.Claimed(token, false);
        }
        if (row == null) {
            // The row that blocked the insert was committed after this statement's snapshot, or deleted
            // since: look again.
            return null;
        }
        return decide(row, scopeHash, key, fingerprint, token, now, leaseMillis);
    }

    private Row insertOrSelect(
            String scopeHash, String key, String fingerprint, ClaimToken token, long now, long leaseMillis) {
        try {
            execute(this.insertSql, (statement) -> {
                bindNewClaim(statement, scopeHash, key, fingerprint, token, now, leaseMillis);
                return statement.executeUpdate();
            });
            return Row.INSERTED;
        } catch (DuplicateKeyException ex) {
            // Someone else holds the key: read what they hold.
            return execute(this.selectSql, (statement) -> {
                statement.setString(1, scopeHash);
                statement.setString(2, key);
                try (ResultSet resultSet = statement.executeQuery()) {
                    return resultSet.next() ? Row.read(resultSet) : null;
                }
            });
        }
    }

    private ClaimResult decide(
            Row row, String scopeHash, String key, String fingerprint, ClaimToken token, long now, long leaseMillis) {
        boolean inProgress = IN_PROGRESS.equals(row.status());
        long end = inProgress ? row.leaseExpiresAt() : row.expiresAt();
        boolean expired = end <= now;
        if (expired && (!inProgress || this.expiredLeasePolicy == ExpiredLeasePolicy.TAKE_OVER)) {
            // Past its time to live the row counts as absent, whatever request it was for.
            boolean replaced = execute(this.replaceExpiredSql, (statement) -> {
                long leaseExpiresAt = now + leaseMillis;
                statement.setString(1, fingerprint);
                statement.setString(2, token.value());
                statement.setLong(3, leaseExpiresAt);
                statement.setLong(4, leaseExpiresAt);
                statement.setLong(5, now);
                statement.setString(6, scopeHash);
                statement.setString(7, key);
                statement.setString(8, row.ownerToken());
                statement.setString(9, row.status());
                statement.setLong(10, now);
                return statement.executeUpdate() > 0;
            });
            // Lost to a concurrent claim, completion or release: decide again on what is there now.
            return replaced ? new ClaimResult.Claimed(token, inProgress) : null;
        }
        if (!row.fingerprint().equals(fingerprint)) {
            return new ClaimResult.Mismatch();
        }
        if (!inProgress) {
            return new ClaimResult.Completed(row.response());
        }
        // created_at is the claim's time: a takeover sets it anew, renewals leave it.
        return new ClaimResult.InProgress(
                expired ? Duration.ZERO : Duration.ofMillis(end - now),
                Duration.ofMillis(Math.max(0, now - row.createdAt())));
    }

    private static int bindNewClaim(
            PreparedStatement statement,
            String scopeHash,
            String key,
            String fingerprint,
            ClaimToken token,
            long now,
            long leaseMillis)
            throws SQLException {
        long leaseExpiresAt = now + leaseMillis;
        statement.setString(1, scopeHash);
        statement.setString(2, key);
        statement.setString(3, fingerprint);
        statement.setString(4, token.value());
        statement.setLong(5, leaseExpiresAt);
        // An in-progress row expires with its lease: the purge and takeovers rely on it.
        statement.setLong(6, leaseExpiresAt);
        statement.setLong(7, now);
        return 8;
    }

    private boolean updateOwned(String action, String sql, Binder binder, IdempotencyKey key, ClaimToken token) {
        String scopeHash = scopeHash(key.scope());
        try {
            return execute(sql, (statement) -> {
                int next = binder.bind(statement);
                statement.setString(next, scopeHash);
                statement.setString(next + 1, key.key());
                statement.setString(next + 2, token.value());
                return statement.executeUpdate() > 0;
            });
        } catch (DataAccessException ex) {
            throw failure(action, ex);
        }
    }

    /**
     * Returns whether a statement gave up waiting for a row lock: PostgreSQL's {@code lock_not_available}
     * (55P03) and H2's lock timeout (50200), which Spring does not always translate as such.
     */
    private static boolean isLockTimeout(DataAccessException ex) {
        if (ex instanceof PessimisticLockingFailureException) {
            return true;
        }
        return ex.getMostSpecificCause() instanceof SQLException sql
                && ("55P03".equals(sql.getSQLState()) || sql.getErrorCode() == 50200);
    }

    private IdempotencyStoreException failure(String action, DataAccessException ex) {
        return new IdempotencyStoreException(
                "Could not " + action + " in table '" + this.tableName + "': "
                        + ex.getMostSpecificCause().getMessage(),
                ex);
    }

    private <T> T execute(String sql, PreparedStatementCallback<T> callback) {
        return this.jdbcOperations.execute(new Statement(sql), (PreparedStatement statement) -> {
            applyQueryTimeout(statement);
            return callback.doInPreparedStatement(statement);
        });
    }

    private void applyQueryTimeout(PreparedStatement statement) throws SQLException {
        int timeout = this.queryTimeoutSeconds;
        int current = statement.getQueryTimeout();
        // The tighter bound wins: a transaction's deadline or the JdbcTemplate's own timeout may be shorter.
        if (timeout > 0 && (current == 0 || current > timeout)) {
            statement.setQueryTimeout(timeout);
        }
    }

    private String claimPostgresqlSql() {
        // In a transaction, a local setting would hold for the business work too, and its commit must flush.
        return (this.claimCommit == ClaimCommit.ASYNC && !TransactionSynchronizationManager.isActualTransactionActive())
                ? this.claimPostgresqlAsyncSql
                : this.claimPostgresqlSql;
    }

    private boolean isPostgresql() {
        Boolean postgresql = this.postgresql;
        if (postgresql == null) {
            String product = this.jdbcOperations.execute(
                    (ConnectionCallback<String>) (connection) -> databaseProductName(connection));
            postgresql = "PostgreSQL".equalsIgnoreCase(product);
            this.postgresql = postgresql;
        }
        return postgresql;
    }

    private static String databaseProductName(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName();
    }

    private String sql(String template) {
        return template.replace(TABLE, this.tableName);
    }

    private static String qualified(String alias, String columns) {
        return alias + "." + columns.replace(", ", ", " + alias + ".");
    }

    /**
     * Returns the hex SHA-256 of a scope: scopes may be long (a principal name and a path), while the key
     * column needs a short, fixed length.
     */
    static String scopeHash(String scope) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(scope.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    @FunctionalInterface
    private interface Binder {

        /**
         * Binds the leading parameters of a statement.
         * @return the index of the next parameter
         */
        int bind(PreparedStatement statement) throws SQLException;
    }

    /**
     * Prepares a statement and names its SQL in the exceptions {@code JdbcTemplate} translates.
     */
    private record Statement(String sql) implements PreparedStatementCreator, SqlProvider {

        @Override
        public PreparedStatement createPreparedStatement(Connection connection) throws SQLException {
            return connection.prepareStatement(this.sql);
        }

        @Override
        public String getSql() {
            return this.sql;
        }
    }

    /**
     * A record as read from the table.
     */
    private record Row(
            String fingerprint,
            String status,
            String ownerToken,
            long leaseExpiresAt,
            long expiresAt,
            long createdAt,
            int responseStatus,
            String responseHeaders,
            byte[] responseBody,
            boolean responseBodyOmitted) {

        /** Marks a claim whose insert succeeded: there was no row to read. */
        static final Row INSERTED = new Row("", IN_PROGRESS, "", 0, 0, 0, 0, null, null, false);

        /**
         * Reads the record at the result set's cursor.
         * @return the record, or {@code null} when the outer join found none
         */
        static Row read(ResultSet resultSet) throws SQLException {
            String fingerprint = resultSet.getString("fingerprint");
            if (fingerprint == null) {
                return null;
            }
            return new Row(
                    fingerprint,
                    resultSet.getString("status"),
                    resultSet.getString("owner_token"),
                    resultSet.getLong("lease_expires_at"),
                    resultSet.getLong("expires_at"),
                    resultSet.getLong("created_at"),
                    resultSet.getInt("response_status"),
                    resultSet.getString("response_headers"),
                    resultSet.getBytes("response_body"),
                    resultSet.getBoolean("response_body_omitted"));
        }

        StoredResponse response() {
            List<StoredResponse.Header> headers =
                    (this.responseHeaders != null) ? StoredResponse.decodeHeaders(this.responseHeaders) : List.of();
            byte[] body = (this.responseBody != null) ? this.responseBody : new byte[0];
            return new StoredResponse(this.responseStatus, headers, body, this.responseBodyOmitted);
        }
    }
}
