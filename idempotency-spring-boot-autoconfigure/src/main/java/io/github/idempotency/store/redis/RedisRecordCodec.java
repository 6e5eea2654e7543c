package io.github.idempotency.store.redis;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.springframework.util.Assert;

/**
 * Encodes the value of the one Redis string that holds a record of the {@link RedisIdempotencyStore}.
 *
 * <p>The first byte tells the state and the layout; numbers are unsigned big-endian; text is UTF-8. An
 * in-progress record:
 * <pre>
 * offset  bytes  field
 *      0      1  'Q'
 *      1     36  owner token (the claim's {@link ClaimToken}, a UUID in ASCII)
 *     37      8  abandoned-claim TTL in milliseconds: 0 under TAKE_OVER; under BLOCK how long the key
 *                outlives its lease (see {@link RedisIdempotencyStore})
 *     45      8  claimed at: epoch milliseconds, by the claiming instance's clock
 *     53      2  fingerprint length n
 *     55      n  fingerprint
 * </pre>
 * The first layout of an in-progress record, marked {@code 'P'}, had no claim time: its fingerprint field
 * starts at offset 45. Such records are still decoded (with the claim time unknown), never written, so that
 * claims made before an upgrade are still answered; an instance of the earlier version cannot decode the new
 * layout.
 *
 * <p>A completed record:
 * <pre>
 * offset  bytes  field
 *      0      1  'C'
 *      1      2  fingerprint length n
 *      3      n  fingerprint
 *    3+n      2  HTTP status
 *    5+n      1  flags: bit 0 set when the body was omitted (too large to record)
 *    6+n      4  headers length m
 *   10+n      m  headers, one "name:value\n" line each ({@link StoredResponse#encodeHeaders()})
 * 10+n+m   rest  body, the raw bytes as sent
 * </pre>
 * The Lua scripts read only fixed offsets: the owner header (marker and token, bytes 0 to 36) to fence a
 * write, the abandoned-claim TTL to renew a lease, and the fingerprint field (from offset 53) which the
 * completion script carries over from the in-progress record, since {@code complete} is not given the
 * fingerprint. A later layout gets new marker bytes, so records of both layouts can be told apart during
 * a rolling upgrade. The scripts only ever touch records their own instance claimed, which have its layout.
 */
final class RedisRecordCodec {

    /** Marker byte of an in-progress record. */
    static final byte IN_PROGRESS = 'Q';

    /** Marker byte of an in-progress record of the first layout, without the claim time. */
    static final byte IN_PROGRESS_WITHOUT_CLAIM_TIME = 'P';

    /** Marker byte of a completed record. */
    static final byte COMPLETED = 'C';

    /** Length of an owner token: the text of a random UUID. */
    static final int TOKEN_LENGTH = 36;

    /** Length of the marker and the owner token, the part of a record the scripts compare to fence writes. */
    static final int OWNER_HEADER_LENGTH = 1 + TOKEN_LENGTH;

    /** Offset of the abandoned-claim TTL in an in-progress record. */
    static final int ABANDONED_CLAIM_TTL_OFFSET = OWNER_HEADER_LENGTH;

    /** Offset of the claim time in an in-progress record. */
    static final int CLAIMED_AT_OFFSET = ABANDONED_CLAIM_TTL_OFFSET + Long.BYTES;

    /** Offset of the fingerprint field (its length, then its bytes) in an in-progress record. */
    static final int FINGERPRINT_FIELD_OFFSET = CLAIMED_AT_OFFSET + Long.BYTES;

    private static final int MAX_FIELD_LENGTH = 0xFFFF;

    private static final byte BODY_OMITTED = 1;

    private RedisRecordCodec() {}

    /**
     * Encodes a new in-progress record.
     * @param token the owner token, a random UUID
     * @param fingerprint the fingerprint of the claiming request
     * @param abandonedClaimTtlMillis how long the key outlives its lease, zero under TAKE_OVER
     * @param claimedAtMillis when the key was claimed, in epoch milliseconds
     * @return the record's value
     */
    static byte[] encodeInProgress(
            ClaimToken token, String fingerprint, long abandonedClaimTtlMillis, long claimedAtMillis) {
        Assert.isTrue(abandonedClaimTtlMillis >= 0, "'abandonedClaimTtlMillis' must not be negative");
        byte[] owner = ownerHeader(token);
        Assert.isTrue(owner.length == OWNER_HEADER_LENGTH, "'token' must be the text of a UUID");
        byte[] fingerprintBytes = shortField(fingerprint, "fingerprint");
        return ByteBuffer.allocate(FINGERPRINT_FIELD_OFFSET + Short.BYTES + fingerprintBytes.length)
                .put(owner)
                .putLong(abandonedClaimTtlMillis)
                .putLong(claimedAtMillis)
                .putShort((short) fingerprintBytes.length)
                .put(fingerprintBytes)
                .array();
    }

    /**
     * Encodes what follows the fingerprint in a completed record: status, flags, headers and body. The
     * completion script puts the marker and the in-progress record's fingerprint field in front of it.
     * @param response the response to record
     * @return the end of the completed record's value
     */
    static byte[] encodeCompletedTail(StoredResponse response) {
        byte[] headers = response.encodeHeaders().getBytes(StandardCharsets.UTF_8);
        byte[] body = response.body();
        return ByteBuffer.allocate(Short.BYTES + 1 + Integer.BYTES + headers.length + body.length)
                .putShort((short) response.status())
                .put(response.bodyOmitted() ? BODY_OMITTED : 0)
                .putInt(headers.length)
                .put(headers)
                .put(body)
                .array();
    }

    /**
     * Returns the first bytes of an in-progress record owned by {@code token}: what a script compares to
     * decide whether a write is still the owner's.
     * @param token the claim's token
     * @return the marker followed by the token
     */
    static byte[] ownerHeader(ClaimToken token) {
        byte[] tokenBytes = token.value().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + tokenBytes.length)
                .put(IN_PROGRESS)
                .put(tokenBytes)
                .array();
    }

    /**
     * Decodes a record.
     * @param value the value of the record's Redis key
     * @return the record
     * @throws IdempotencyStoreException if the value is not a record of this layout
     */
    static RedisRecord decode(byte[] value) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            byte marker = buffer.get();
            if (marker == IN_PROGRESS || marker == IN_PROGRESS_WITHOUT_CLAIM_TIME) {
                String token = text(buffer, TOKEN_LENGTH);
                long abandonedClaimTtlMillis = buffer.getLong();
                long claimedAtMillis = (marker == IN_PROGRESS) ? buffer.getLong() : InProgressRecord.UNKNOWN;
                return new InProgressRecord(token, shortText(buffer), abandonedClaimTtlMillis, claimedAtMillis);
            }
            if (marker == COMPLETED) {
                String fingerprint = shortText(buffer);
                int status = Short.toUnsignedInt(buffer.getShort());
                boolean bodyOmitted = (buffer.get() & BODY_OMITTED) != 0;
                String headers = text(buffer, buffer.getInt());
                byte[] body = new byte[buffer.remaining()];
                buffer.get(body);
                return new CompletedRecord(
                        fingerprint,
                        new StoredResponse(status, StoredResponse.decodeHeaders(headers), body, bodyOmitted));
            }
            throw unreadable("it starts with byte " + marker, null);
        } catch (BufferUnderflowException
                | NegativeArraySizeException
                | IllegalArgumentException
                | IllegalStateException ex) {
            throw unreadable("it is truncated or malformed", ex);
        }
    }

    private static byte[] shortField(String text, String name) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Assert.isTrue(bytes.length <= MAX_FIELD_LENGTH, () -> "'" + name + "' is longer than 65535 bytes");
        return bytes;
    }

    private static String shortText(ByteBuffer buffer) {
        return text(buffer, Short.toUnsignedInt(buffer.getShort()));
    }

    private static String text(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static IdempotencyStoreException unreadable(String reason, Throwable cause) {
        return new IdempotencyStoreException(
                "Unreadable idempotency record in Redis: " + reason
                        + " (written by another application or another version of the store?)",
                cause);
    }

    /**
     * A decoded record.
     */
    sealed interface RedisRecord permits InProgressRecord, CompletedRecord {

        /**
         * Returns the fingerprint of the request that claimed the key.
         * @return the fingerprint
         */
        String fingerprint();
    }

    /**
     * A claim still running.
     *
     * @param token the owner token
     * @param fingerprint the fingerprint of the claiming request
     * @param abandonedClaimTtlMillis how long the key outlives its lease
     * @param claimedAtMillis when the key was claimed, in epoch milliseconds, or {@link #UNKNOWN} for a
     * record of the first layout
     */
    record InProgressRecord(String token, String fingerprint, long abandonedClaimTtlMillis, long claimedAtMillis)
            implements RedisRecord {

        /** The claim time of a record that does not keep it. */
        static final long UNKNOWN = -1;
    }

    /**
     * A completed operation.
     *
     * @param fingerprint the fingerprint of the claiming request
     * @param response the recorded response
     */
    record CompletedRecord(String fingerprint, StoredResponse response) implements RedisRecord {}
}
