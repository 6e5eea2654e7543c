package io.github.idempotency.client;

import io.github.idempotency.IdempotencyHeaders;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * Reads what an answer says about idempotency: whether the server replayed a recorded response instead of
 * running the request, and which key the request carried.
 *
 * <p>For an answer that {@code RestClient} turned into an exception, pass
 * {@code RestClientResponseException.getResponseHeaders()}.
 */
public final class IdempotentResponses {

    /** The header a server of this starter adds to a replayed response. */
    public static final String REPLAYED_HEADER = IdempotencyHeaders.REPLAYED;

    private IdempotentResponses() {}

    /**
     * Returns whether the answer is a replay of the response recorded for the key, rather than the result
     * of running the request now.
     * @param entity the answer
     * @return whether it carries {@code Idempotent-Replayed: true}
     */
    public static boolean isReplayed(ResponseEntity<?> entity) {
        return isReplayed(entity.getHeaders());
    }

    /**
     * Returns whether an answer with these headers is a replay of a recorded response.
     * @param headers the answer's headers, or {@code null}
     * @return whether they carry {@code Idempotent-Replayed: true}
     */
    public static boolean isReplayed(HttpHeaders headers) {
        return headers != null && "true".equalsIgnoreCase(headers.getFirst(REPLAYED_HEADER));
    }

    /**
     * Returns the idempotency key of the request the answer is to, from the {@code Idempotency-Key} header
     * that {@link IdempotentRequestInterceptor} (or the server) puts on it.
     * @param entity the answer
     * @return the key, or empty when the answer names none
     */
    public static Optional<String> key(ResponseEntity<?> entity) {
        return key(entity.getHeaders(), IdempotentRetrySettings.DEFAULT_HEADER_NAME);
    }

    /**
     * Returns the idempotency key that an answer with these headers names.
     * @param headers the answer's headers, or {@code null}
     * @param headerName the key header the interceptor was configured with
     * @return the key, or empty when the answer names none
     */
    public static Optional<String> key(HttpHeaders headers, String headerName) {
        return Optional.ofNullable((headers != null) ? headers.getFirst(headerName) : null);
    }
}
