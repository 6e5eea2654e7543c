package io.github.idempotency.store.jdbc;

/**
 * Thrown at startup by {@link JdbcIdempotencySchemaValidator} when the table of a {@link JdbcIdempotencyStore}
 * is missing or lacks the store's columns: what is wrong, and what to do about it.
 */
public class JdbcIdempotencySchemaException extends IllegalStateException {

    private final String problem;

    private final String remedy;

    /**
     * Creates an exception.
     * @param problem what is wrong with the table
     * @param remedy what to do about it
     * @param cause the database's own error, may be {@code null}
     */
    public JdbcIdempotencySchemaException(String problem, String remedy, Throwable cause) {
        super(problem + " " + remedy, cause);
        this.problem = problem;
        this.remedy = remedy;
    }

    /**
     * Returns what is wrong with the table.
     * @return the problem, naming the table
     */
    public String getProblem() {
        return this.problem;
    }

    /**
     * Returns what to do about it.
     * @return the remedy, naming the script to apply
     */
    public String getRemedy() {
        return this.remedy;
    }
}
