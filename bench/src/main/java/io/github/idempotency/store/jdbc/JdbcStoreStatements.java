package io.github.idempotency.store.jdbc;

import java.lang.reflect.Field;

/**
 * The SQL that {@link JdbcIdempotencyStore} runs on PostgreSQL, read from the store itself, so that the
 * benchmark's floor runs exactly the store's statements and cannot drift from them.
 */
public final class JdbcStoreStatements {

    private final JdbcIdempotencyStore store;

    /**
     * Reads the statements of a store on the given table.
     * @param store a store; it is not used otherwise
     */
    public JdbcStoreStatements(JdbcIdempotencyStore store) {
        this.store = store;
    }

    /**
     * Returns the claim: {@code INSERT ... ON CONFLICT DO NOTHING} in a CTE that reads the row it could not
     * insert. Parameters: scope hash, key, fingerprint, owner token, lease end, expiry, creation time, then
     * scope hash and key again. Its first column, {@code inserted_count}, is 1 for a new claim.
     * @return the SQL text
     */
    public String claim() {
        return field("claimPostgresqlSql");
    }

    /**
     * Returns the claim of {@code idempotency.jdbc.claim-commit=ASYNC} outside a transaction: the same
     * parameters and columns as {@link #claim()}, with the flush of its own commit turned off inside it.
     * @return the SQL text
     */
    public String claimAsync() {
        return field("claimPostgresqlAsyncSql");
    }

    /**
     * Returns the completion: an {@code UPDATE} of the owned in-progress row. Parameters: expiry, status,
     * headers, body, body omitted, scope hash, key, owner token.
     * @return the SQL text
     */
    public String complete() {
        return field("completeSql");
    }

    /**
     * Returns the column value the store writes for a scope.
     * @param scope the scope
     * @return its hash
     */
    public static String scopeHash(String scope) {
        return JdbcIdempotencyStore.scopeHash(scope);
    }

    private String field(String name) {
        try {
            Field field = JdbcIdempotencyStore.class.getDeclaredField(name);
            field.setAccessible(true);
            return (String) field.get(this.store);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("JdbcIdempotencyStore has no SQL field '" + name + "' any more", ex);
        }
    }
}
