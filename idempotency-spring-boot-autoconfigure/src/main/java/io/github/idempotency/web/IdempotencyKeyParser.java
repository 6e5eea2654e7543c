package io.github.idempotency.web;

import java.util.Enumeration;
import org.springframework.util.Assert;

/**
 * Reads the idempotency key from its request header. The key is accepted bare ({@code abc-123}) and as a
 * structured-field string ({@code "abc-123"}, the form of the IETF draft); both are the same key.
 */
public class IdempotencyKeyParser {

    private final int maxKeyLength;

    /**
     * Creates a parser.
     * @param maxKeyLength the longest key accepted, in characters
     */
    public IdempotencyKeyParser(int maxKeyLength) {
        Assert.isTrue(maxKeyLength > 0, "'maxKeyLength' must be positive");
        this.maxKeyLength = maxKeyLength;
    }

    /**
     * Parses the values of the key header.
     * @param headerValues every value of the header in the request
     * @return the key, or a reason it is missing or invalid
     */
    public Result parse(Enumeration<String> headerValues) {
        if (headerValues == null || !headerValues.hasMoreElements()) {
            return Result.MISSING;
        }
        String raw = headerValues.nextElement();
        if (headerValues.hasMoreElements()) {
            return Result.invalid("send the key header once, not several times");
        }
        String value = raw.strip();
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return parseStructuredString(value);
        }
        return check(value);
    }

    private Result parseStructuredString(String quoted) {
        StringBuilder key = new StringBuilder(quoted.length() - 2);
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                i++;
                char escaped = quoted.charAt(i);
                if (i == quoted.length() - 1 || (escaped != '"' && escaped != '\\')) {
                    return Result.invalid("a quoted key may only escape '\"' and '\\'");
                }
                key.append(escaped);
            } else if (c == '"') {
                return Result.invalid("a quoted key must escape '\"' inside it as '\\\"'");
            } else {
                key.append(c);
            }
        }
        return check(key.toString());
    }

    /**
     * Checks a key, whether sent in the header or derived from the request: not blank, no control characters,
     * at most the longest accepted.
     */
    Result check(String key) {
        if (key.isBlank()) {
            return Result.invalid("the key must not be empty or blank");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            // C0, DEL and C1: a container decodes header bytes 0x80 to 0x9F as the C1 controls.
            if (Character.isISOControl(c)) {
                return Result.invalid("the key must not contain control characters");
            }
        }
        if (key.length() > this.maxKeyLength) {
            return Result.invalid(
                    "the key is " + key.length() + " characters long; at most " + this.maxKeyLength + " are accepted");
        }
        return new Result(key, null);
    }

    /**
     * The outcome of parsing: a key, or missing, or invalid with the reason.
     *
     * @param key the key, {@code null} unless valid
     * @param problem why the key is invalid, {@code null} when valid or missing
     */
    public record Result(String key, String problem) {

        static final Result MISSING = new Result(null, null);

        static Result invalid(String problem) {
            return new Result(null, problem);
        }

        /**
         * Returns whether the request carried no key at all.
         * @return whether the key is missing
         */
        public boolean isMissing() {
            return this.key == null && this.problem == null;
        }

        /**
         * Returns whether a key was sent but cannot be used.
         * @return whether the key is invalid
         */
        public boolean isInvalid() {
            return this.problem != null;
        }
    }
}
