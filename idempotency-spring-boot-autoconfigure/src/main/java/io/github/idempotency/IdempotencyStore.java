package io.github.idempotency;

import java.time.Duration;
import java.util.Optional;

/**
 * Shared storage of idempotency records: claims keys atomically and keeps the recorded responses.
 *
 * <p>A record lives at an {@link IdempotencyKey} and is in one of two states: <em>in progress</em> (claimed
 * by the request that runs the operation, for the length of a lease) or <em>completed</em> (holding the
 * response to replay, until its time to live passes). Every write after the claim is fenced by the
 * claim's {@link ClaimToken}: a request that lost its claim (its lease expired and another request took
 * the key over) can no longer complete, release or renew the record.
 *
 * <p>Implementations must be thread-safe, and {@link #claim} must be atomic across every process that
 * shares the store: of N concurrent claimers of an absent key, exactly one gets {@link ClaimResult.Claimed}.
 * Failures to reach the store are reported as {@link IdempotencyStoreException}.
 *
 * <p>{@link #find} and {@link #delete} serve operators (the {@code idempotency} actuator endpoint and the
 * store's health indicator), not requests; a store of an application's own that leaves them out still
 * serves requests.
 */
public interface IdempotencyStore {

    /**
     * Claims a key for a request with the given fingerprint.
     * <ul>
     * <li>absent key, or a record whose time to live has passed: a new in-progress record is created and
     * {@link ClaimResult.Claimed} returned;</li>
     * <li>a record with a different fingerprint: {@link ClaimResult.Mismatch}, whatever its state;</li>
     * <li>a completed record: {@link ClaimResult.Completed} with the recorded response;</li>
     * <li>an in-progress record with a live lease: {@link ClaimResult.InProgress};</li>
     * <li>an in-progress record with an expired lease: taken over ({@link ClaimResult.Claimed} with a new
     * token) under {@link ExpiredLeasePolicy#TAKE_OVER}, {@link ClaimResult.InProgress} under
     * {@link ExpiredLeasePolicy#BLOCK}.</li>
     * </ul>
     * @param key the record's address
     * @param fingerprint digest of the request the key is used for
     * @param lease how long the claim blocks others before it can be taken over
     * @return the outcome, never {@code null}
     * @throws IdempotencyStoreException if the store cannot answer
     */
    ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease);

    /**
     * Turns an in-progress record owned by {@code token} into a completed one holding the response, kept
     * for {@code ttl}. Nothing changes when the record is absent, completed, or owned by another token.
     * @param key the record's address
     * @param token the claim's token
     * @param response the response to replay on retries
     * @param ttl how long the response is kept
     * @return {@code true} if the record was completed, {@code false} if the claim was no longer owned
     * @throws IdempotencyStoreException if the store cannot answer
     */
    boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl);

    /**
     * Drops an in-progress record owned by {@code token} so that a retry can run the operation again.
     * Nothing changes when the record is absent, completed, or owned by another token.
     * @param key the record's address
     * @param token the claim's token
     * @return {@code true} if the record was dropped, {@code false} if the claim was no longer owned
     * @throws IdempotencyStoreException if the store cannot answer
     */
    boolean release(IdempotencyKey key, ClaimToken token);

    /**
     * Extends the lease of an in-progress record owned by {@code token} to {@code lease} from now.
     * Nothing changes when the record is absent, completed, or owned by another token.
     * @param key the record's address
     * @param token the claim's token
     * @param lease the new lease, counted from now
     * @return {@code true} if the lease was extended, {@code false} if the claim was no longer owned
     * @throws IdempotencyStoreException if the store cannot answer
     */
    boolean renew(IdempotencyKey key, ClaimToken token, Duration lease);

    /**
     * Returns the record at a key as an operator sees it, without changing it.
     * <ul>
     * <li>absent key, or a completed record whose time to live has passed: empty;</li>
     * <li>a completed record: its response and expiry;</li>
     * <li>an in-progress record: its lease's end, which is in the past for a claim whose request stopped
     * without finishing (it stays until a claim takes it over, or, under {@link ExpiredLeasePolicy#BLOCK},
     * until it is {@link #delete deleted}).</li>
     * </ul>
     * The default implementation throws {@link UnsupportedOperationException}, so that stores written
     * before this method existed still compile; the stores shipped with the starter implement it.
     * @param key the record's address
     * @return the record, or empty when there is none
     * @throws IdempotencyStoreException if the store cannot answer
     * @throws UnsupportedOperationException if the store cannot look records up
     */
    default Optional<StoredRecord> find(IdempotencyKey key) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot look up idempotency records");
    }

    /**
     * Deletes the record at a key, whatever its state and owner: an operator's way out of a key that
     * {@link ExpiredLeasePolicy#BLOCK} keeps blocked. A later claim of the key runs the operation again. The
     * claim's owner, if it is still running, can then no longer complete, release or renew it.
     * The default implementation throws {@link UnsupportedOperationException}, so that stores written
     * before this method existed still compile; the stores shipped with the starter implement it.
     * @param key the record's address
     * @return {@code true} if a record was deleted, {@code false} if there was none
     * @throws IdempotencyStoreException if the store cannot answer
     * @throws UnsupportedOperationException if the store cannot delete records
     */
    default boolean delete(IdempotencyKey key) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot delete idempotency records");
    }
}
