package io.github.idempotency.web;

import io.github.idempotency.IdempotencyHeaders;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.StoredResponse.Header;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpHeaders;

/**
 * Writes a recorded response to a retry: the recorded status, headers and body bytes, plus
 * {@code Idempotent-Replayed: true}.
 */
class ResponseReplayer {

    /** Response header that marks a replayed response. */
    static final String REPLAYED_HEADER = IdempotencyHeaders.REPLAYED;

    private final ProblemResponseWriter problemWriter;

    ResponseReplayer(ProblemResponseWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    void replay(HttpServletResponse response, StoredResponse stored, String instance) throws IOException {
        response.setHeader(REPLAYED_HEADER, "true");
        if (stored.bodyOmitted()) {
            replayWithoutBody(response, stored, instance);
            return;
        }
        response.setStatus(stored.status());
        Set<String> written = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : stored.headers()) {
            if (HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(header.name())) {
                response.setContentType(header.value());
            } else if (written.add(header.name())) {
                // Replace any value set for this request, then add the recorded ones in order.
                response.setHeader(header.name(), header.value());
            } else {
                response.addHeader(header.name(), header.value());
            }
        }
        response.setContentLength(stored.body().length);
        if (stored.body().length > 0) {
            response.getOutputStream().write(stored.body());
        }
    }

    private void replayWithoutBody(HttpServletResponse response, StoredResponse stored, String instance)
            throws IOException {
        String location = stored.firstHeader(HttpHeaders.LOCATION);
        if (location != null) {
            response.setHeader(HttpHeaders.LOCATION, location);
        }
        this.problemWriter.write(
                response,
                IdempotencyProblem.RESPONSE_NOT_REPLAYABLE,
                stored.status(),
                "The request with this idempotency key already completed with status " + stored.status()
                        + ", but its response was too large to record, so it cannot be replayed"
                        + ((location != null) ? "; the result is at " + location : ""),
                instance);
    }
}
