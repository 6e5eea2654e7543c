package io.github.idempotency.web;

import io.github.idempotency.StoredResponse;
import io.github.idempotency.StoredResponse.Header;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpHeaders;

/**
 * Turns a captured response into the {@link StoredResponse} that retries get back: its status, the
 * headers the handler set (minus hop-by-hop and excluded ones) and its body bytes.
 */
class ResponseRecorder {

    /**
     * Headers that describe one connection or one transmission, never the operation's outcome.
     */
    private static final Set<String> NEVER_RECORDED = caseInsensitive(List.of(
            HttpHeaders.CONNECTION,
            "Keep-Alive",
            HttpHeaders.TRANSFER_ENCODING,
            HttpHeaders.TE,
            HttpHeaders.TRAILER,
            HttpHeaders.UPGRADE,
            HttpHeaders.PROXY_AUTHENTICATE,
            HttpHeaders.PROXY_AUTHORIZATION,
            "Proxy-Connection",
            HttpHeaders.DATE,
            HttpHeaders.CONTENT_LENGTH,
            ResponseReplayer.REPLAYED_HEADER));

    private final Set<String> excluded;

    private final Set<String> included;

    /**
     * Creates a recorder.
     * @param excluded header names never recorded, besides the hop-by-hop ones
     * @param included header names recorded; empty records every header not excluded
     */
    ResponseRecorder(Collection<String> excluded, Collection<String> included) {
        this.excluded = caseInsensitive(excluded);
        this.included = caseInsensitive(included);
    }

    StoredResponse record(CapturingResponseWrapper response) throws IOException {
        List<Header> headers = new ArrayList<>();
        String contentType = response.getContentType();
        if (contentType != null && isRecorded(HttpHeaders.CONTENT_TYPE)) {
            headers.add(new Header(HttpHeaders.CONTENT_TYPE, contentType));
        }
        for (String name : response.getCapturedHeaderNames()) {
            if (isRecorded(name) && !HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                for (String value : response.getHeaders(name)) {
                    headers.add(new Header(name, withoutLineBreaks(value)));
                }
            }
        }
        if (response.isTooLargeToRecord()) {
            return StoredResponse.withoutBody(response.getStatus(), headers);
        }
        return new StoredResponse(response.getStatus(), headers, response.getBody(), false);
    }

    private boolean isRecorded(String name) {
        return !NEVER_RECORDED.contains(name)
                && !this.excluded.contains(name)
                && (this.included.isEmpty() || this.included.contains(name));
    }

    private static String withoutLineBreaks(String value) {
        // A container never sends a line break inside a header value; record what it would send.
        return (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) ? value : value.replaceAll("[\r\n]+", " ");
    }

    private static Set<String> caseInsensitive(Collection<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(names);
        return set;
    }
}
