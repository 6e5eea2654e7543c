package io.github.idempotency.client;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A response that names the idempotency key of its request in the same header, so that the caller, who
 * never sees the request, can tell which key was used. A key the server echoed itself is left as it is.
 */
final class KeyedResponse extends ForwardingResponse {

    private final HttpHeaders headers;

    KeyedResponse(ClientHttpResponse delegate, String headerName, String key) {
        super(delegate);
        this.headers = HttpHeaders.copyOf(delegate.getHeaders());
        if (!this.headers.containsHeader(headerName)) {
            this.headers.set(headerName, key);
        }
    }

    @Override
    public HttpHeaders getHeaders() {
        return HttpHeaders.readOnlyHttpHeaders(this.headers);
    }
}
