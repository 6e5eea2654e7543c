package io.github.idempotency.web;

/**
 * A request body read into memory: the first {@code length} bytes of {@code bytes}. The array may be
 * longer than the body, which saves a copy when the size was not known in advance.
 *
 * @param bytes the buffer
 * @param length how many bytes of the buffer are the body
 */
public record BufferedBody(byte[] bytes, int length) {

    static final BufferedBody EMPTY = new BufferedBody(new byte[0], 0);
}
