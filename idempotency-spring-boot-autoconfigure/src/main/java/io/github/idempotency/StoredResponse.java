package io.github.idempotency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.util.Assert;

/**
 * A recorded HTTP response: what a retry gets back instead of running the operation again.
 *
 * @param status the HTTP status code
 * @param headers the recorded headers in the order they were sent (hop-by-hop headers excluded),
 * {@code Content-Type} among them
 * @param body the body bytes exactly as sent; empty when {@code bodyOmitted}
 * @param bodyOmitted whether the body was too large to record, so the response cannot be replayed in full
 */
public record StoredResponse(int status, List<Header> headers, byte[] body, boolean bodyOmitted) {

    private static final byte[] NO_BODY = new byte[0];

    /**
     * Creates a recorded response, rejecting an impossible status, missing parts, or an omitted body that
     * is not empty.
     */
    public StoredResponse {
        Assert.isTrue(status >= 100 && status <= 999, () -> "'status' must be an HTTP status, not " + status);
        Assert.notNull(headers, "'headers' must not be null");
        Assert.notNull(body, "'body' must not be null");
        Assert.isTrue(!bodyOmitted || body.length == 0, "'body' must be empty when the body is omitted");
        headers = List.copyOf(headers);
    }

    /**
     * Creates a response whose body was too large to record: only its status and headers are kept.
     * @param status the HTTP status code
     * @param headers the recorded headers
     * @return a response marked as not replayable in full
     */
    public static StoredResponse withoutBody(int status, List<Header> headers) {
        return new StoredResponse(status, headers, NO_BODY, true);
    }

    /**
     * Returns the first value of a header, matching its name case-insensitively.
     * @param name the header name
     * @return the value, or {@code null} when the header was not recorded
     */
    public String firstHeader(String name) {
        for (Header header : this.headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    /**
     * Encodes the headers as text, one {@code name:value} line each, the form the stores keep them in.
     * @return the encoded headers
     * @see #decodeHeaders(String)
     */
    public String encodeHeaders() {
        StringBuilder text = new StringBuilder(this.headers.size() * 32);
        for (Header header : this.headers) {
            text.append(header.name()).append(':').append(header.value()).append('\n');
        }
        return text.toString();
    }

    /**
     * Decodes headers encoded by {@link #encodeHeaders()}.
     * @param text the encoded headers
     * @return the headers in their recorded order
     */
    public static List<Header> decodeHeaders(String text) {
        List<Header> headers = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            int colon = text.indexOf(':', start);
            Assert.state(end > 0 && colon > start && colon < end, "Malformed recorded headers");
            headers.add(new Header(text.substring(start, colon), text.substring(colon + 1, end)));
            start = end + 1;
        }
        return headers;
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof StoredResponse that)
                && this.status == that.status
                && this.bodyOmitted == that.bodyOmitted
                && this.headers.equals(that.headers)
                && Arrays.equals(this.body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * this.status + this.headers.hashCode()) + Arrays.hashCode(this.body);
    }

    @Override
    public String toString() {
        return "StoredResponse[status=" + this.status + ", headers=" + this.headers + ", body=" + this.body.length
                + " bytes" + (this.bodyOmitted ? " (omitted)" : "") + "]";
    }

    /**
     * One recorded header value.
     *
     * @param name the header name as sent, never blank, without {@code ':'} or line breaks
     * @param value the header value, without line breaks
     */
    public record Header(String name, String value) {

        /**
         * Creates a header, rejecting names and values that cannot be sent or recorded.
         */
        public Header {
            Assert.hasText(name, "'name' must not be empty");
            Assert.notNull(value, "'value' must not be null");
            Assert.isTrue(
                    name.indexOf(':') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0,
                    () -> "Invalid header name '" + name + "'");
            Assert.isTrue(
                    value.indexOf('\n') < 0 && value.indexOf('\r') < 0,
                    () -> "Header '" + name + "' has a line break in its value");
        }
    }
}
