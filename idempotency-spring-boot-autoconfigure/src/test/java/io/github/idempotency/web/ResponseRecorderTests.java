package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.StoredResponse;
import io.github.idempotency.StoredResponse.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * What is recorded of a response: the handler's headers minus hop-by-hop and excluded ones, or only the
 * included ones, and the body unless it outgrew the limit.
 */
class ResponseRecorderTests {

    @Test
    void recordsStatusContentTypeHandlerHeadersAndBody() throws Exception {
        CapturingResponseWrapper response = capture(64);
        response.setStatus(201);
        response.setContentType("application/json");
        response.setHeader("Location", "/orders/1");
        response.addHeader("X-Multi", "one");
        response.addHeader("X-Multi", "two");
        response.getOutputStream().write("{\"id\":1}".getBytes(StandardCharsets.UTF_8));
        StoredResponse stored = new ResponseRecorder(List.of("Set-Cookie"), List.of()).record(response);
        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.headers())
                .containsExactly(
                        new Header("Content-Type", "application/json"),
                        new Header("Location", "/orders/1"),
                        new Header("X-Multi", "one"),
                        new Header("X-Multi", "two"));
        assertThat(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
        assertThat(stored.bodyOmitted()).isFalse();
    }

    @Test
    void neverRecordsHopByHopHeadersAndHonoursTheDenyList() throws Exception {
        CapturingResponseWrapper response = capture(64);
        for (String name : List.of("Connection", "Keep-Alive", "Transfer-Encoding", "Date", "Set-Cookie", "X-Secret")) {
            response.setHeader(name, "a=b");
        }
        response.setHeader("X-Kept", "kept");
        StoredResponse stored = new ResponseRecorder(List.of("set-cookie", "X-SECRET"), List.of()).record(response);
        assertThat(stored.headers()).containsExactly(new Header("X-Kept", "kept"));
    }

    @Test
    void allowListRecordsOnlyTheNamedHeaders() throws Exception {
        CapturingResponseWrapper response = capture(64);
        response.setContentType("text/plain");
        response.setHeader("Location", "/x");
        response.setHeader("X-Other", "other");
        StoredResponse stored = new ResponseRecorder(List.of(), List.of("location")).record(response);
        assertThat(stored.headers()).containsExactly(new Header("Location", "/x"));
    }

    @Test
    void headersSetBeforeCaptureAreNotRecorded() throws Exception {
        MockHttpServletResponse servletResponse = new MockHttpServletResponse();
        CapturingResponseWrapper response = new CapturingResponseWrapper(servletResponse);
        response.setHeader("X-Request-Id", "set by an outer filter for every request");
        response.startCapture(64);
        response.setHeader("X-Handler", "set by the handler");
        StoredResponse stored = new ResponseRecorder(List.of(), List.of()).record(response);
        assertThat(stored.headers()).containsExactly(new Header("X-Handler", "set by the handler"));
    }

    @Test
    void bodyLargerThanTheLimitIsSentButNotRecorded() throws Exception {
        MockHttpServletResponse servletResponse = new MockHttpServletResponse();
        CapturingResponseWrapper response = new CapturingResponseWrapper(servletResponse);
        response.startCapture(4);
        response.setHeader("Location", "/big");
        response.getOutputStream().write("0123456789".getBytes(StandardCharsets.UTF_8));
        StoredResponse stored = new ResponseRecorder(List.of(), List.of()).record(response);
        assertThat(stored.bodyOmitted()).isTrue();
        assertThat(stored.body()).isEmpty();
        assertThat(stored.firstHeader("Location")).isEqualTo("/big");
        assertThat(servletResponse.getContentAsString()).isEqualTo("0123456789");
    }

    @Test
    void heldBackBodyIsSentWithItsExactLength() throws Exception {
        MockHttpServletResponse servletResponse = new MockHttpServletResponse();
        CapturingResponseWrapper response = new CapturingResponseWrapper(servletResponse);
        response.startCapture(1024);
        response.setContentLength(999);
        response.getWriter().write("held back");
        response.flushBuffer();
        assertThat(servletResponse.isCommitted()).isFalse();
        assertThat(servletResponse.getContentAsString()).isEmpty();
        response.sendCapturedBody();
        assertThat(servletResponse.getContentAsString()).isEqualTo("held back");
        assertThat(servletResponse.getContentLength()).isEqualTo(9);
    }

    private static CapturingResponseWrapper capture(long limit) {
        CapturingResponseWrapper response = new CapturingResponseWrapper(new MockHttpServletResponse());
        response.startCapture(limit);
        return response;
    }
}
