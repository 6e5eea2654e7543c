package io.github.idempotency.store.jdbc;

/**
 * How the JDBC store's claim of a new key commits on PostgreSQL, outside a transaction.
 */
public enum ClaimCommit {

    /**
     * The claim's commit waits for its write-ahead log record to be flushed, as every PostgreSQL commit does
     * by default: a first request costs two flushes, the claim's and the completion's.
     */
    SYNC,

    /**
     * The claim commits with {@code synchronous_commit = off}: it is visible to every other instance at once,
     * so concurrency protection is unchanged, and it becomes durable with the next flush, at the latest the
     * completion's. A first request costs one flush. A PostgreSQL crash within the flush window (up to three
     * times {@code wal_writer_delay}, 600 ms by default) can lose a claim whose operation is still running,
     * so that a retry after the database restarts runs it a second time at once, instead of waiting for the
     * lease.
     */
    ASYNC
}
