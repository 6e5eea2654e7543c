package io.github.idempotency.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.StoredResponse.Header;
import io.github.idempotency.store.redis.RedisRecordCodec.CompletedRecord;
import io.github.idempotency.store.redis.RedisRecordCodec.InProgressRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedisRecordCodecTests {

    private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static final long CLAIMED_AT = 1_893_456_000_123L;

    private final ClaimToken token = ClaimToken.random();

    @Test
    void inProgressRecordRoundTrips() {
        byte[] value = RedisRecordCodec.encodeInProgress(this.token, FINGERPRINT, 86_400_000L, CLAIMED_AT);

        assertThat(RedisRecordCodec.decode(value))
                .isEqualTo(new InProgressRecord(this.token.value(), FINGERPRINT, 86_400_000L, CLAIMED_AT));
    }

    @Test
    void inProgressRecordStartsWithOwnerHeaderThatScriptsCompare() {
        byte[] value = RedisRecordCodec.encodeInProgress(this.token, FINGERPRINT, 0, CLAIMED_AT);

        assertThat(Arrays.copyOf(value, RedisRecordCodec.OWNER_HEADER_LENGTH))
                .isEqualTo(RedisRecordCodec.ownerHeader(this.token))
                .isEqualTo(("Q" + this.token.value()).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void inProgressRecordKeepsTheClaimTimeBetweenTheAbandonedClaimTtlAndTheFingerprint() {
        byte[] value = RedisRecordCodec.encodeInProgress(this.token, FINGERPRINT, 7, CLAIMED_AT);

        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertThat(buffer.getLong(RedisRecordCodec.ABANDONED_CLAIM_TTL_OFFSET)).isEqualTo(7);
        assertThat(buffer.getLong(RedisRecordCodec.CLAIMED_AT_OFFSET)).isEqualTo(CLAIMED_AT);
        assertThat(buffer.getShort(RedisRecordCodec.FINGERPRINT_FIELD_OFFSET)).isEqualTo((short) FINGERPRINT.length());
        assertThat(value).hasSize(RedisRecordCodec.FINGERPRINT_FIELD_OFFSET + 2 + FINGERPRINT.length());
    }

    @Test
    void inProgressRecordOfTheFirstLayoutDecodesWithUnknownClaimTime() {
        byte[] value = firstLayoutInProgress(this.token, FINGERPRINT, 86_400_000L);

        assertThat(RedisRecordCodec.decode(value))
                .isEqualTo(
                        new InProgressRecord(this.token.value(), FINGERPRINT, 86_400_000L, InProgressRecord.UNKNOWN));
    }

    @Test
    void completedRecordAssembledAsTheCompleteScriptDoesRoundTrips() {
        StoredResponse response = new StoredResponse(
                201,
                List.of(new Header("Content-Type", "application/json"), new Header("Location", "/payments/7")),
                "{\"id\":7}".getBytes(StandardCharsets.UTF_8),
                false);

        assertThat(RedisRecordCodec.decode(complete(FINGERPRINT, response)))
                .isEqualTo(new CompletedRecord(FINGERPRINT, response));
    }

    @Test
    void completedRecordWithOneMebibyteBodyKeepsEveryByte() {
        byte[] body = new byte[1024 * 1024];
        new Random(42).nextBytes(body);
        StoredResponse response = new StoredResponse(200, List.of(), body, false);

        byte[] value = complete(FINGERPRINT, response);

        CompletedRecord decoded = (CompletedRecord) RedisRecordCodec.decode(value);
        assertThat(decoded.response().body()).isEqualTo(body);
        assertThat(Arrays.copyOfRange(value, value.length - body.length, value.length))
                .as("body stored raw at the end of the value")
                .isEqualTo(body);
    }

    @Test
    void completedRecordKeepsUnicodeHeadersAndFingerprint() {
        String fingerprint = "empreinte-é-指纹-🔑";
        StoredResponse response = new StoredResponse(
                402,
                List.of(new Header("X-Détail", "carte refusée ✗ 拒绝"), new Header("X-Empty", "")),
                new byte[0],
                false);

        assertThat(RedisRecordCodec.decode(complete(fingerprint, response)))
                .isEqualTo(new CompletedRecord(fingerprint, response));
    }

    @Test
    void completedRecordKeepsThatTheBodyWasOmitted() {
        StoredResponse response = StoredResponse.withoutBody(201, List.of(new Header("Location", "/payments/8")));

        CompletedRecord decoded = (CompletedRecord) RedisRecordCodec.decode(complete(FINGERPRINT, response));

        assertThat(decoded.response().bodyOmitted()).isTrue();
        assertThat(decoded.response()).isEqualTo(response);
    }

    @Test
    void encodeInProgressWhenTokenIsNotAUuidThenRejectsIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisRecordCodec.encodeInProgress(new ClaimToken("short"), FINGERPRINT, 0, 0))
                .withMessageContaining("UUID");
    }

    @Test
    void decodeWhenMarkerIsUnknownThenThrowsStoreException() {
        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> RedisRecordCodec.decode("hello".getBytes(StandardCharsets.US_ASCII)))
                .withMessageContaining("Unreadable idempotency record");
    }

    @Test
    void decodeWhenValueIsTruncatedThenThrowsStoreException() {
        byte[] value = RedisRecordCodec.encodeInProgress(this.token, FINGERPRINT, 0, CLAIMED_AT);

        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> RedisRecordCodec.decode(Arrays.copyOf(value, 20)))
                .withMessageContaining("truncated or malformed");
    }

    /** Builds a completed record the way the completion script does from the in-progress one. */
    private byte[] complete(String fingerprint, StoredResponse response) {
        byte[] inProgress = RedisRecordCodec.encodeInProgress(this.token, fingerprint, 0, CLAIMED_AT);
        ByteArrayOutputStream completed = new ByteArrayOutputStream();
        completed.write(RedisRecordCodec.COMPLETED);
        completed.write(
                inProgress,
                RedisRecordCodec.FINGERPRINT_FIELD_OFFSET,
                inProgress.length - RedisRecordCodec.FINGERPRINT_FIELD_OFFSET);
        completed.writeBytes(RedisRecordCodec.encodeCompletedTail(response));
        return completed.toByteArray();
    }

    /**
     * Encodes an in-progress record as the store's first layout did: marker {@code 'P'}, no claim time.
     * @param token the owner token
     * @param fingerprint the fingerprint
     * @param abandonedClaimTtlMillis the abandoned-claim TTL
     * @return the record's value
     */
    static byte[] firstLayoutInProgress(ClaimToken token, String fingerprint, long abandonedClaimTtlMillis) {
        byte[] fingerprintBytes = fingerprint.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 36 + 8 + 2 + fingerprintBytes.length)
                .put((byte) 'P')
                .put(token.value().getBytes(StandardCharsets.US_ASCII))
                .putLong(abandonedClaimTtlMillis)
                .putShort((short) fingerprintBytes.length)
                .put(fingerprintBytes)
                .array();
    }
}
