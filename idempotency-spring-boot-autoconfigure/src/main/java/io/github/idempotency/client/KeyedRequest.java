package io.github.idempotency.client;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * One attempt of a logical call: the intercepted request with its idempotency key. Each attempt gets its
 * own copy of the headers, since the intercepted request's are read-only once it executes, and an
 * interceptor further down the chain that adds a header must add it to one attempt only.
 */
final class KeyedRequest extends HttpRequestWrapper {

    private final HttpHeaders headers;

    KeyedRequest(HttpRequest request, String headerName, String key) {
        super(request);
        this.headers = HttpHeaders.copyOf(request.getHeaders());
        this.headers.set(headerName, key);
    }

    @Override
    public HttpHeaders getHeaders() {
        return this.headers;
    }
}
