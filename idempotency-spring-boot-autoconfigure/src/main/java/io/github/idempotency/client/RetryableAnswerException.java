package io.github.idempotency.client;

import java.io.IOException;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Carries an answer worth retrying through {@code RetryTemplate}, which retries on exceptions only. When
 * the retries end on it, the answer itself is handed to the caller, so it has no stack trace to fill.
 */
final class RetryableAnswerException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ClientHttpResponse response;

    RetryableAnswerException(ClientHttpResponse response) throws IOException {
        super(
                "Answered " + response.getStatusCode().value() + ", worth retrying with the same key",
                null,
                false,
                false);
        this.response = response;
    }

    ClientHttpResponse response() {
        return this.response;
    }
}
