package io.github.idempotency.store.redis;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.StoredResponse;
import java.lang.reflect.Field;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The values and the completion script that {@link RedisIdempotencyStore} sends, taken from the store's own
 * code, so that the benchmark's floor sends exactly what the store sends.
 */
public final class RedisStoreCommands {

    private RedisStoreCommands() {}

    /**
     * Returns the value of a new claim's {@code SET NX}.
     * @param token the claim's token
     * @param fingerprint the request's fingerprint
     * @return the in-progress record
     */
    public static byte[] inProgressRecord(ClaimToken token, String fingerprint) {
        return RedisRecordCodec.encodeInProgress(token, fingerprint, 0, System.currentTimeMillis());
    }

    /**
     * Returns the completion script's first argument: what it compares to fence the write.
     * @param token the claim's token
     * @return the owner header
     */
    public static byte[] ownerHeader(ClaimToken token) {
        return RedisRecordCodec.ownerHeader(token);
    }

    /**
     * Returns the completion script's second argument: the recorded response.
     * @param response the response
     * @return the end of the completed record
     */
    public static byte[] completedTail(StoredResponse response) {
        return RedisRecordCodec.encodeCompletedTail(response);
    }

    /**
     * Returns the Lua text of the completion script. Its keys: the record; its arguments: owner header,
     * completed tail, time to live in milliseconds.
     * @return the script
     */
    public static String completeScript() {
        try {
            Field field = RedisIdempotencyStore.class.getDeclaredField("COMPLETE_SCRIPT");
            field.setAccessible(true);
            return ((RedisScript<?>) field.get(null)).getScriptAsString();
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("RedisIdempotencyStore has no COMPLETE_SCRIPT any more", ex);
        }
    }
}
