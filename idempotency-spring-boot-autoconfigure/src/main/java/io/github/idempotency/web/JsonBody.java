package io.github.idempotency.web;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a buffered request body as JSON for a key expression: objects as maps, arrays as lists, and numbers
 * with the digits they were sent with. Kept apart so that Jackson is loaded only when an expression reads
 * {@code #body}.
 */
final class JsonBody {

    /** The class whose presence tells that Jackson 3 is on the class path. */
    static final String JACKSON_CLASS = "tools.jackson.databind.json.JsonMapper";

    // Decimals as BigDecimal: "1.50" stays "1.50" as a key instead of becoming the double 1.5.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonBody() {}

    /**
     * Reads a body.
     * @param body the buffered body
     * @return the JSON value as maps, lists, texts, numbers and booleans, or {@code null} for an empty body
     * @throws IllegalArgumentException if the body is not JSON
     */
    static Object read(BufferedBody body) {
        if (body.length() == 0) {
            return null;
        }
        try {
            return MAPPER.readValue(body.bytes(), 0, body.length(), Object.class);
        } catch (JacksonException ex) {
            throw new IllegalArgumentException("The request body is not JSON: " + ex.getOriginalMessage(), ex);
        }
    }
}
