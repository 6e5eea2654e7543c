package io.github.idempotency.client;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A response whose body was partly read to look at it: the bytes read come first, then the rest.
 */
final class ReadAheadResponse extends ForwardingResponse {

    private final InputStream body;

    ReadAheadResponse(ClientHttpResponse delegate, byte[] readAhead, InputStream rest) {
        super(delegate);
        this.body = new SequenceInputStream(new ByteArrayInputStream(readAhead), rest);
    }

    @Override
    public InputStream getBody() {
        return this.body;
    }
}
