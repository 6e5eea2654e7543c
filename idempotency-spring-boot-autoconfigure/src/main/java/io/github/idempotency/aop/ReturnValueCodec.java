package io.github.idempotency.aop;

import io.github.idempotency.StoredResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a method's return value into the record a store keeps and back, as JSON through the application's
 * Jackson mapper, and digests fingerprint values the same way. A value is recorded as a {@code 200} with a
 * JSON body; a {@code void} method's record is a {@code 204} without one, which says only that it ran.
 */
class ReturnValueCodec {

    private static final int VALUE = 200;

    private static final int NO_VALUE = 204;

    private static final List<StoredResponse.Header> JSON =
            List.of(new StoredResponse.Header("Content-Type", "application/json"));

    private static final StoredResponse RAN = new StoredResponse(NO_VALUE, List.of(), new byte[0], false);

    private final Supplier<JsonMapper> mapper;

    /**
     * Creates a codec.
     * @param mapper supplies the application's mapper, looked up on first use
     */
    ReturnValueCodec(Supplier<JsonMapper> mapper) {
        this.mapper = mapper;
    }

    /**
     * Encodes the value a method returned.
     * @throws IllegalStateException if the value cannot be written as JSON
     */
    StoredResponse encode(IdempotentMethod method, Object value) {
        if (method.isVoid()) {
            return RAN;
        }
        try {
            return new StoredResponse(VALUE, JSON, this.mapper.get().writeValueAsBytes(value), false);
        } catch (JacksonException ex) {
            throw new IllegalStateException(
                    "The value returned by @Idempotent method " + method.name()
                            + " cannot be recorded as JSON, so later calls could not get it back: " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Decodes a recorded value to the method's (generic) return type.
     * @throws IllegalStateException if the record cannot be read as that type
     */
    Object decode(IdempotentMethod method, StoredResponse recorded) {
        if (method.isVoid() || recorded.status() == NO_VALUE) {
            return null;
        }
        JsonMapper mapper = this.mapper.get();
        try {
            return mapper.readValue(
                    recorded.body(), mapper.constructType(method.returnType().getType()));
        } catch (JacksonException ex) {
            throw new IllegalStateException(
                    "The recorded value of @Idempotent method " + method.name() + " cannot be read as "
                            + method.returnType() + " (did the return type change since it was recorded?): "
                            + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Returns the hex SHA-256 of a value's JSON form.
     */
    String fingerprint(Object value) {
        byte[] json = this.mapper.get().writeValueAsBytes(value);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    /**
     * Returns the fingerprint of calls whose arguments are not compared.
     */
    static String noFingerprint() {
        return "-";
    }
}
