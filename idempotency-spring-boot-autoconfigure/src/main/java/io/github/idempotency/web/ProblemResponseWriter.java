package io.github.idempotency.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Writes the starter's own answers as {@code application/problem+json} (RFC 9457). The JSON is written
 * directly: the few string members need no serializer, and the answer does not depend on how the
 * application configured its message converters.
 */
class ProblemResponseWriter {

    /** When a request refused for the store's sake is worth trying again. */
    private static final String STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = "5";

    /**
     * Writes {@link IdempotencyProblem#STORE_UNAVAILABLE} with the {@code Retry-After} that goes with it.
     */
    void writeStoreUnavailable(HttpServletResponse response, String detail, String instance) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, STORE_UNAVAILABLE_RETRY_AFTER_SECONDS);
        write(response, IdempotencyProblem.STORE_UNAVAILABLE, detail, instance);
    }

    void write(HttpServletResponse response, IdempotencyProblem problem, String detail, String instance)
            throws IOException {
        write(response, problem, problem.getStatus(), detail, instance);
    }

    void write(HttpServletResponse response, IdempotencyProblem problem, int status, String detail, String instance)
            throws IOException {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"type\":");
        appendString(json, problem.getType());
        json.append(",\"title\":");
        appendString(json, problem.getTitle());
        json.append(",\"status\":").append(status);
        json.append(",\"detail\":");
        appendString(json, detail);
        if (instance != null) {
            json.append(",\"instance\":");
            appendString(json, instance);
        }
        json.append('}');
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
