package io.github.idempotency.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lets an idempotent endpoint read the request body once to fingerprint it, then serves the same bytes to
 * the handler. Until {@link #bufferBody} is called, it passes everything through.
 */
class IdempotentRequestWrapper extends HttpServletRequestWrapper {

    private static final int INITIAL_BUFFER = 8192;

    private BufferedBody body;

    IdempotentRequestWrapper(HttpServletRequest request) {
        super(request);
    }

    /**
     * Refuses a body that declares more than {@code maxSize} bytes: all that can be checked of a body the
     * container reads itself (form parameters, multipart parts).
     * @param maxSize the largest body accepted
     * @return the declared length, or -1 if none was declared
     * @throws RequestTooLargeException if the declared length is larger than {@code maxSize}
     */
    long checkDeclaredLength(long maxSize) throws RequestTooLargeException {
        long declared = getContentLengthLong();
        if (declared > maxSize) {
            throw new RequestTooLargeException(declared, maxSize);
        }
        return declared;
    }

    /**
     * Reads the whole body into memory, once.
     * @param maxSize the largest body accepted
     * @return the body
     * @throws RequestTooLargeException if the body is larger than {@code maxSize}
     * @throws IOException if the body cannot be read
     */
    BufferedBody bufferBody(long maxSize) throws IOException {
        if (this.body != null) {
            return this.body;
        }
        long declared = checkDeclaredLength(maxSize);
        // A declared length sizes the buffer exactly (the container never reads past it); otherwise the
        // buffer grows up to maxSize + 1 bytes, since one byte too many is enough to tell it is too large.
        byte[] buffer = new byte[(int) ((declared >= 0) ? declared : Math.min(INITIAL_BUFFER, maxSize + 1))];
        int length = 0;
        InputStream in = super.getInputStream();
        while (true) {
            if (length == buffer.length) {
                if (declared >= 0) {
                    break;
                }
                if (length > maxSize) {
                    throw new RequestTooLargeException(length, maxSize);
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(buffer.length * 2L, maxSize + 1));
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read == -1) {
                break;
            }
            length += read;
        }
        this.body = new BufferedBody(buffer, length);
        return this.body;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        return (this.body != null) ? new BufferedBodyInputStream(this.body) : super.getInputStream();
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (this.body == null) {
            return super.getReader();
        }
        String encoding = getCharacterEncoding();
        Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    /**
     * Thrown when a request body is larger than the endpoint accepts.
     */
    static class RequestTooLargeException extends IOException {

        private final long maxSize;

        RequestTooLargeException(long size, long maxSize) {
            super("Request body of " + size + " bytes exceeds " + maxSize + " bytes");
            this.maxSize = maxSize;
        }

        long getMaxSize() {
            return this.maxSize;
        }
    }

    private static final class BufferedBodyInputStream extends ServletInputStream {

        private final BufferedBody body;

        private int position;

        BufferedBodyInputStream(BufferedBody body) {
            this.body = body;
        }

        @Override
        public int read() {
            return (this.position < this.body.length()) ? (this.body.bytes()[this.position++] & 0xff) : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            int remaining = this.body.length() - this.position;
            if (remaining <= 0) {
                return (length == 0) ? 0 : -1;
            }
            int count = Math.min(length, remaining);
            System.arraycopy(this.body.bytes(), this.position, target, offset, count);
            this.position += count;
            return count;
        }

        @Override
        public int available() {
            return this.body.length() - this.position;
        }

        @Override
        public boolean isFinished() {
            return this.position >= this.body.length();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("The buffered body of an idempotent request is read blocking");
        }
    }
}
