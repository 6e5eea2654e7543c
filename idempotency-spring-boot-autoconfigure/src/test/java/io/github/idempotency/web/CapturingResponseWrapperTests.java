package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * How {@link CapturingResponseWrapper} holds a body back in chunks: whatever the chunking, the recorded and
 * the sent bytes are the handler's, in order.
 */
class CapturingResponseWrapperTests {

    private final MockHttpServletResponse servletResponse = new MockHttpServletResponse();

    private final CapturingResponseWrapper response = new CapturingResponseWrapper(this.servletResponse);

    @Test
    void bodyOfUnknownLengthWrittenInPiecesIsRecordedAndSentWhole() throws IOException {
        byte[] body = randomBytes(100_000);
        this.response.startCapture(1024 * 1024);
        for (int offset = 0; offset < body.length; offset += 8000) {
            this.response.getOutputStream().write(body, offset, Math.min(8000, body.length - offset));
        }
        this.response.getOutputStream().write(7);
        byte[] expected = append(body, (byte) 7);
        assertThat(this.response.getBody()).isEqualTo(expected);
        this.response.sendCapturedBody();
        assertThat(this.servletResponse.getContentAsByteArray()).isEqualTo(expected);
        assertThat(this.servletResponse.getContentLength()).isEqualTo(expected.length);
    }

    @Test
    void bodyOfDeclaredLengthIsHeldInOneArrayOfThatLength() throws IOException {
        byte[] body = randomBytes(50_000);
        this.response.startCapture(1024 * 1024);
        this.response.setContentLength(body.length);
        this.response.getOutputStream().write(body, 0, 20_000);
        this.response.getOutputStream().write(body, 20_000, 30_000);
        byte[] recorded = this.response.getBody();
        assertThat(recorded).isEqualTo(body);
        assertThat(this.response.getBody()).isSameAs(recorded);
    }

    @Test
    void bodyLongerThanItsDeclaredLengthIsRecordedWhole() throws IOException {
        byte[] body = randomBytes(5000);
        this.response.startCapture(1024 * 1024);
        this.response.setContentLength(10);
        this.response.getOutputStream().write(body);
        assertThat(this.response.getBody()).isEqualTo(body);
    }

    @Test
    void bodyOutgrowingTheLimitAfterSeveralChunksIsSentInOrder() throws IOException {
        byte[] body = randomBytes(30_000);
        this.response.startCapture(20_000);
        for (int offset = 0; offset < body.length; offset += 3000) {
            this.response.getOutputStream().write(body, offset, 3000);
        }
        assertThat(this.response.isTooLargeToRecord()).isTrue();
        assertThat(this.servletResponse.getContentAsByteArray()).isEqualTo(body);
    }

    @Test
    void bodyOutgrowingTheLimitIsHeldBackAllTheSameWhenAskedAndSentWholeButNotRecorded() throws IOException {
        byte[] body = randomBytes(30_000);
        this.response.startCapture(20_000, true);
        for (int offset = 0; offset < body.length; offset += 3000) {
            this.response.getOutputStream().write(body, offset, 3000);
        }
        this.response.flushBuffer();

        assertThat(this.servletResponse.isCommitted()).isFalse();
        assertThat(this.servletResponse.getContentAsByteArray()).isEmpty();
        assertThat(this.response.isTooLargeToRecord()).isTrue();
        this.response.sendCapturedBody();
        assertThat(this.servletResponse.getContentAsByteArray()).isEqualTo(body);
        assertThat(this.servletResponse.getContentLength()).isEqualTo(body.length);
    }

    @Test
    void resetBufferDropsWhatWasHeldBack() throws IOException {
        this.response.startCapture(1024 * 1024);
        this.response.getOutputStream().write(randomBytes(20_000));
        this.response.resetBuffer();
        this.response.getOutputStream().write(new byte[] {1, 2, 3});
        assertThat(this.response.getBody()).containsExactly(1, 2, 3);
    }

    @Test
    void recordedBodyKeepsItsBytesWhenItsChunksHoldTheNextResponses() throws IOException {
        byte[] first = randomBytes(40_000);
        byte[] declared = randomBytes(8192);
        this.response.startCapture(1024 * 1024);
        this.response.getOutputStream().write(first);
        byte[] recordedFirst = this.response.getBody();
        this.response.sendCapturedBody();
        CapturingResponseWrapper second = new CapturingResponseWrapper(new MockHttpServletResponse());
        second.startCapture(1024 * 1024);
        second.setContentLength(declared.length);
        second.getOutputStream().write(declared);
        byte[] recordedSecond = second.getBody();
        second.sendCapturedBody();
        for (int i = 0; i < 10; i++) {
            CapturingResponseWrapper next = new CapturingResponseWrapper(new MockHttpServletResponse());
            next.startCapture(1024 * 1024);
            next.getOutputStream().write(new byte[60_000]);
            next.sendCapturedBody();
        }
        assertThat(recordedFirst).isEqualTo(first);
        assertThat(recordedSecond).isEqualTo(declared);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static byte[] append(byte[] bytes, byte last) {
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        longer[bytes.length] = last;
        return longer;
    }
}
