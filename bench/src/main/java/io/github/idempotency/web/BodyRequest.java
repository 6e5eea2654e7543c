package io.github.idempotency.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * A request whose body stream reads in bulk, as a container's does. {@link MockHttpServletRequest}'s stream
 * reads one byte per call even into an array, which would make the benchmarks measure the mock.
 */
public class BodyRequest extends MockHttpServletRequest {

    /**
     * Creates a {@code POST} to a path.
     * @param path the request URI
     */
    public BodyRequest(String path) {
        super("POST", path);
    }

    @Override
    public ServletInputStream getInputStream() {
        byte[] content = getContentAsByteArray();
        return new ServletInputStream() {

            private int position;

            @Override
            public int read() {
                return (this.position < content.length) ? (content[this.position++] & 0xff) : -1;
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                if (this.position >= content.length) {
                    return -1;
                }
                int count = Math.min(length, content.length - this.position);
                System.arraycopy(content, this.position, target, offset, count);
                this.position += count;
                return count;
            }

            @Override
            public boolean isFinished() {
                return this.position >= content.length;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
