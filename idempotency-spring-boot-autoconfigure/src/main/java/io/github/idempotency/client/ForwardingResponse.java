package io.github.idempotency.client;

import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A response that hands everything to the one it wraps; subclasses change what they must.
 */
abstract class ForwardingResponse implements ClientHttpResponse {

    private final ClientHttpResponse delegate;

    ForwardingResponse(ClientHttpResponse delegate) {
        this.delegate = delegate;
    }

    @Override
    public HttpStatusCode getStatusCode() throws IOException {
        return this.delegate.getStatusCode();
    }

    @Override
    public String getStatusText() throws IOException {
        return this.delegate.getStatusText();
    }

    @Override
    public HttpHeaders getHeaders() {
        return this.delegate.getHeaders();
    }

    @Override
    public InputStream getBody() throws IOException {
        return this.delegate.getBody();
    }

    @Override
    public void close() {
        this.delegate.close();
    }
}
