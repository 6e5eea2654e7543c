package io.github.idempotency.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A response whose body goes nowhere, as a container's socket would take it: unlike
 * {@link MockHttpServletResponse} it allocates nothing per byte, so that the benchmarks count only what the
 * starter allocates. It remembers how many bytes were written.
 */
public class DiscardingResponse extends MockHttpServletResponse {

    private long written;

    private final ServletOutputStream outputStream = new ServletOutputStream() {

        @Override
        public void write(int b) {
            DiscardingResponse.this.written++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            DiscardingResponse.this.written += length;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException();
        }
    };

    @Override
    public ServletOutputStream getOutputStream() {
        return this.outputStream;
    }

    /**
     * Returns how many body bytes were written.
     * @return the count
     */
    public long getWritten() {
        return this.written;
    }
}
