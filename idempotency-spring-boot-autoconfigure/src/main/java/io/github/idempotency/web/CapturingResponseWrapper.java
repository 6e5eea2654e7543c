package io.github.idempotency.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Holds back the response of an idempotent handler so that it can be recorded before the client sees it.
 * Until {@link #startCapture} is called, everything passes through.
 *
 * <p>While capturing, the body is buffered (the container sends nothing, so the response stays
 * uncommitted) and the names of the headers the handler sets are remembered: only those are recorded,
 * not headers that filters outside set for every request. A body that grows past the size limit is no
 * longer held back: what was buffered is sent and the rest passes through, and the response is recorded
 * without its body. In the transactional mode it is held back all the same, since nothing may reach the
 * client before the commit, and only recorded without its body.
 *
 * <p>The body is held in chunks that are never copied while it grows (a buffer that doubled as it grew
 * allocated up to three times the body before the recorder copied it once more to its exact length). A
 * {@code Content-Length} the handler declares sizes the first chunk, so such a body is held in one array of
 * exactly its length and recorded as it is. A body of unknown length, such as Jackson's, goes into 8 KiB
 * chunks from a small shared pool, given back once the body is sent, so that the exact copy the recorder
 * needs is the only allocation in proportion to the body.
 */
class CapturingResponseWrapper extends HttpServletResponseWrapper {

    private static final byte[] NO_BODY = new byte[0];

    /** The most that can be held back: the length of the largest array. */
    private static final long MAX_HELD = Integer.MAX_VALUE - 8;

    private static final ChunkPool CHUNKS = new ChunkPool();

    private final Set<String> headerNames = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    private boolean capturing;

    private long limit;

    /** Full chunks before {@link #chunk}, in order; {@code null} while the body fits in one. */
    private List<byte[]> fullChunks;

    private byte[] chunk;

    /** The first chunk when it was sized by the declared length: it is the handler's own, never pooled. */
    private byte[] declaredChunk;

    private int chunkLength;

    private int length;

    /** The {@code Content-Length} declared while capturing, or -1. */
    private long declaredLength = -1;

    private boolean overflowed;

    /** Whether a body past the limit is held back all the same (the transactional mode). */
    private boolean holdPastLimit;

    /** Whether the body, held back, outgrew the limit: it is sent but not recorded. */
    private boolean heldPastLimit;

    private boolean errorSent;

    private CaptureOutputStream outputStream;

    private PrintWriter writer;

    CapturingResponseWrapper(HttpServletResponse response) {
        super(response);
    }

    /**
     * Starts holding back the body and remembering header names.
     * @param limit the largest body that is held back and recorded
     */
    void startCapture(long limit) {
        startCapture(limit, false);
    }

    /**
     * Starts holding back the body and remembering header names.
     * @param limit the largest body that is recorded, and held back unless {@code holdPastLimit}
     * @param holdPastLimit whether a larger body is held back all the same, until it is sent
     */
    void startCapture(long limit, boolean holdPastLimit) {
        this.capturing = true;
        this.limit = limit;
        this.holdPastLimit = holdPastLimit;
    }

    /**
     * Returns whether the body outgrew the limit, so that it is not recorded: sent as it grew, or held back
     * past the limit.
     */
    boolean isTooLargeToRecord() {
        return this.overflowed || this.heldPastLimit;
    }

    /**
     * Returns whether the handler or an exception resolver called {@code sendError}: the container will
     * produce the error page in an error dispatch.
     */
    boolean isErrorSent() {
        return this.errorSent;
    }

    /**
     * Returns the captured body: an array of exactly its length, which the caller must not change.
     */
    byte[] getBody() throws IOException {
        flushWriter();
        if (this.chunk == null || this.length == 0) {
            return NO_BODY;
        }
        if (this.chunk == this.declaredChunk && this.chunkLength == this.chunk.length) {
            return this.chunk;
        }
        byte[] body = new byte[this.length];
        int offset = 0;
        if (this.fullChunks != null) {
            for (byte[] full : this.fullChunks) {
                System.arraycopy(full, 0, body, offset, full.length);
                offset += full.length;
            }
        }
        System.arraycopy(this.chunk, 0, body, offset, this.chunkLength);
        return body;
    }

    /**
     * Counts headers set before this wrapper existed as set through it: those of the request's dispatch that
     * sent an error, which the container keeps for the error page that this wrapper captures.
     * @param names the headers' names
     */
    void rememberHeaderNames(Set<String> names) {
        this.headerNames.addAll(names);
    }

    /**
     * Returns the names of the headers set through this wrapper while capturing.
     */
    Set<String> getCapturedHeaderNames() {
        return Collections.unmodifiableSet(this.headerNames);
    }

    /**
     * Sends what was held back to the client, with its exact length.
     */
    void sendCapturedBody() throws IOException {
        flushWriter();
        if (!this.capturing || this.overflowed) {
            return;
        }
        this.capturing = false;
        if (!isCommitted()) {
            super.setContentLength(this.length);
        }
        writeHeldBack();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (!this.capturing) {
            return super.getOutputStream();
        }
        if (this.writer != null) {
            throw new IllegalStateException("getWriter() has already been called for this response");
        }
        if (this.outputStream == null) {
            this.outputStream = new CaptureOutputStream();
        }
        return this.outputStream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (!this.capturing) {
            return super.getWriter();
        }
        if (this.writer == null) {
            if (this.outputStream != null) {
                throw new IllegalStateException("getOutputStream() has already been called for this response");
            }
            this.outputStream = new CaptureOutputStream();
            Charset charset = Charset.forName(getCharacterEncoding());
            this.writer = new PrintWriter(new OutputStreamWriter(this.outputStream, charset));
        }
        return this.writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (!this.capturing || this.overflowed) {
            super.flushBuffer();
        } else {
            // Flushing would commit the response before it is recorded: keep holding it back.
            flushWriter();
        }
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        clearBody();
    }

    @Override
    public void reset() {
        super.reset();
        clearBody();
        this.declaredLength = -1;
        this.headerNames.clear();
    }

    @Override
    public void setContentLength(int len) {
        if (this.capturing) {
            this.declaredLength = len;
        } else {
            super.setContentLength(len);
        }
    }

    @Override
    public void setContentLengthLong(long len) {
        if (this.capturing) {
            this.declaredLength = len;
        } else {
            super.setContentLengthLong(len);
        }
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        this.errorSent = true;
        discardCapture();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        this.errorSent = true;
        discardCapture();
        super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        remember("Location");
        discardCapture();
        super.sendRedirect(location);
    }

    @Override
    public void setHeader(String name, String value) {
        if (!isContentLength(name)) {
            remember(name);
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!isContentLength(name)) {
            remember(name);
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!isContentLength(name)) {
            remember(name);
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!isContentLength(name)) {
            remember(name);
            super.addIntHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        remember(name);
        super.setDateHeader(name, date);
    }

    @Override
    public void addDateHeader(String name, long date) {
        remember(name);
        super.addDateHeader(name, date);
    }

    private boolean isContentLength(String name) {
        // The length is the captured body's, set when it is sent.
        return this.capturing && "Content-Length".equalsIgnoreCase(name);
    }

    private void remember(String name) {
        if (this.capturing) {
            this.headerNames.add(name);
        }
    }

    /**
     * Stops holding back: what was buffered is dropped and later writes pass through.
     */
    void stopCapture() {
        discardCapture();
    }

    private void discardCapture() {
        // The container writes the error or redirect itself, after this dispatch.
        this.capturing = false;
        clearBody();
    }

    private void clearBody() {
        if (this.fullChunks != null) {
            this.fullChunks.forEach(this::release);
            this.fullChunks = null;
        }
        if (this.chunk != null) {
            release(this.chunk);
            this.chunk = null;
        }
        this.chunkLength = 0;
        this.length = 0;
    }

    private void release(byte[] released) {
        // The declared chunk may be the recorded body itself; only pooled chunks go back.
        if (released != this.declaredChunk) {
            CHUNKS.give(released);
        }
    }

    private void flushWriter() {
        if (this.writer != null) {
            this.writer.flush();
        }
    }

    private void write(byte[] bytes, int offset, int count) throws IOException {
        if (!this.capturing || this.overflowed) {
            getResponse().getOutputStream().write(bytes, offset, count);
            return;
        }
        if (this.length + (long) count > this.limit) {
            if (this.holdPastLimit && this.length + (long) count <= MAX_HELD) {
                this.heldPastLimit = true;
            } else {
                overflow();
                getResponse().getOutputStream().write(bytes, offset, count);
                return;
            }
        }
        int from = offset;
        int remaining = count;
        while (remaining > 0) {
            if (this.chunk == null || this.chunkLength == this.chunk.length) {
                nextChunk();
            }
            int copied = Math.min(remaining, this.chunk.length - this.chunkLength);
            System.arraycopy(bytes, from, this.chunk, this.chunkLength, copied);
            this.chunkLength += copied;
            this.length += copied;
            from += copied;
            remaining -= copied;
        }
    }

    private void nextChunk() {
        if (this.chunk != null) {
            if (this.fullChunks == null) {
                this.fullChunks = new ArrayList<>();
            }
            this.fullChunks.add(this.chunk);
        }
        long room = this.heldPastLimit ? Long.MAX_VALUE : this.limit - this.length;
        if (this.length == 0 && this.declaredLength > 0 && this.declaredLength <= room) {
            this.declaredChunk = new byte[(int) this.declaredLength];
            this.chunk = this.declaredChunk;
        } else {
            // Near a small limit, a chunk of just the room left: it is never a pooled chunk's size.
            this.chunk = (room >= ChunkPool.CHUNK_SIZE) ? CHUNKS.take() : new byte[(int) room];
        }
        this.chunkLength = 0;
    }

    private void overflow() throws IOException {
        this.overflowed = true;
        writeHeldBack();
    }

    private void writeHeldBack() throws IOException {
        ServletOutputStream out = getResponse().getOutputStream();
        if (this.fullChunks != null) {
            for (byte[] full : this.fullChunks) {
                out.write(full);
            }
        }
        if (this.chunkLength > 0) {
            out.write(this.chunk, 0, this.chunkLength);
        }
        clearBody();
    }

    private final class CaptureOutputStream extends ServletOutputStream {

        private final byte[] single = new byte[1];

        @Override
        public void write(int b) throws IOException {
            this.single[0] = (byte) b;
            CapturingResponseWrapper.this.write(this.single, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            CapturingResponseWrapper.this.write(bytes, offset, count);
        }

        @Override
        public void flush() throws IOException {
            if (CapturingResponseWrapper.this.overflowed) {
                getResponse().getOutputStream().flush();
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("The response of an idempotent request is written blocking");
        }
    }

    /**
     * Chunks shared by the bodies being held back. Bounded: at most 128 chunks (1 MiB) wait in it, more are
     * left to the garbage collector, and an empty pool allocates, so a busy server only loses the saving.
     */
    private static final class ChunkPool {

        static final int CHUNK_SIZE = 8192;

        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(128);

        byte[] take() {
            byte[] chunk = this.free.poll();
            return (chunk != null) ? chunk : new byte[CHUNK_SIZE];
        }

        void give(byte[] chunk) {
            if (chunk.length == CHUNK_SIZE) {
                this.free.offer(chunk);
            }
        }
    }
}
