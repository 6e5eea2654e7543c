package io.github.idempotency.client;

import io.github.idempotency.web.IdempotencyProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Tells the answers that the same request with the same key may get a different answer to later from
 * those it never will: {@code 429}, {@code 502}, {@code 503}, {@code 504}, and the {@code 409} that says
 * the first request with the key is still running. Any other {@code 409} is the handler's own (a business
 * conflict) and final, like every other answer.
 */
final class RetryableAnswers {

    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(
            HttpStatus.TOO_MANY_REQUESTS.value(),
            HttpStatus.BAD_GATEWAY.value(),
            HttpStatus.SERVICE_UNAVAILABLE.value(),
            HttpStatus.GATEWAY_TIMEOUT.value());

    /** The in-progress problem is a few hundred bytes; its type member comes first. */
    private static final int READ_AHEAD_LIMIT = 4096;

    private static final Pattern IN_PROGRESS_TYPE =
            Pattern.compile("\"type\"\\s*:\\s*\"" + Pattern.quote(IdempotencyProblem.IN_PROGRESS.getType()) + "\"");

    private RetryableAnswers() {}

    /**
     * Classifies an answer, reading ahead in the body of a {@code 409} to find its problem type.
     * @param response the answer, open
     * @return the answer to use from now on (the read-ahead bytes put back) and whether to retry it
     * @throws IOException if the answer cannot be read
     */
    static Answer classify(ClientHttpResponse response) throws IOException {
        int status = response.getStatusCode().value();
        if (RETRYABLE_STATUSES.contains(status)) {
            return new Answer(response, true);
        }
        if (status != HttpStatus.CONFLICT.value()
                || !isJson(response.getHeaders().getContentType())) {
            return new Answer(response, false);
        }
        InputStream body = response.getBody();
        byte[] readAhead = body.readNBytes(READ_AHEAD_LIMIT);
        // JSON may escape '/' as "\/"; the type URI is matched unescaped.
        String text = new String(readAhead, StandardCharsets.UTF_8).replace("\\/", "/");
        return new Answer(
                new ReadAheadResponse(response, readAhead, body),
                IN_PROGRESS_TYPE.matcher(text).find());
    }

    private static boolean isJson(MediaType contentType) {
        return contentType != null
                && (MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(contentType)
                        || MediaType.APPLICATION_JSON.isCompatibleWith(contentType));
    }

    /**
     * An answer and whether to retry it.
     * @param response the answer to hand on or discard
     * @param retryable whether the same request with the same key is worth sending again
     */
    record Answer(ClientHttpResponse response, boolean retryable) {}
}
