package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockPart;

class RequestFingerprinterTests {

    private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

    @Test
    void sameRequestHasSameFingerprint() throws Exception {
        assertThat(fingerprint("POST", "/a", null, "application/json", "{}"))
                .isEqualTo(fingerprint("POST", "/a", null, "application/json", "{}"))
                .hasSize(64);
    }

    @Test
    void everyPartOfTheRequestChangesTheFingerprint() throws Exception {
        String base = fingerprint("POST", "/a", "x=1", "application/json", "{}");
        assertThat(fingerprint("PUT", "/a", "x=1", "application/json", "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/b", "x=1", "application/json", "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/a", "x=2", "application/json", "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/a", null, "application/json", "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/a", "x=1", "text/plain", "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/a", "x=1", "application/json", "{ }")).isNotEqualTo(base);
    }

    @Test
    void fieldBoundariesCannotBeShifted() throws Exception {
        assertThat(fingerprint("POST", "/a", "b", null, "")).isNotEqualTo(fingerprint("POST", "/ab", null, null, ""));
        assertThat(fingerprint("POST", "/a", "", null, "")).isNotEqualTo(fingerprint("POST", "/a", null, null, ""));
    }

    @Test
    void onlyTheBufferedLengthOfTheBodyCounts() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/a");
        byte[] padded = "{}\0\0\0".getBytes(StandardCharsets.UTF_8);
        assertThat(this.fingerprinter.fingerprint(request, "/a", new BufferedBody(padded, 2)))
                .isEqualTo(this.fingerprinter.fingerprint(request, "/a", new BufferedBody("{}".getBytes(), 2)));
    }

    @Test
    void formParametersAreFingerprintedInsteadOfTheBody() throws Exception {
        MockHttpServletRequest book = new MockHttpServletRequest("POST", "/a");
        book.setContentType("application/x-www-form-urlencoded");
        book.addParameter("item", "book");
        MockHttpServletRequest lamp = new MockHttpServletRequest("POST", "/a");
        lamp.setContentType("application/x-www-form-urlencoded");
        lamp.addParameter("item", "lamp");
        assertThat(this.fingerprinter.fingerprint(book, "/a", BufferedBody.EMPTY))
                .isNotEqualTo(this.fingerprinter.fingerprint(lamp, "/a", BufferedBody.EMPTY));
    }

    @Test
    void multipartBoundaryDoesNotCountButThePartsDo() throws Exception {
        String invoice = multipart("----boundaryA", part("file", "invoice.pdf", "%PDF-1"));

        assertThat(multipart("----boundaryB", part("file", "invoice.pdf", "%PDF-1")))
                .isEqualTo(invoice);
        assertThat(multipart("----boundaryA", part("file", "invoice.pdf", "%PDF-2")))
                .isNotEqualTo(invoice);
        assertThat(multipart("----boundaryA", part("file", "receipt.pdf", "%PDF-1")))
                .isNotEqualTo(invoice);
    }

    @Test
    void multipartPartBoundariesCannotBeShifted() throws Exception {
        // Without lengths, one part holding exactly the bytes that would follow the first part's content could
        // be taken for two parts (no file names, no content types).
        MockPart first = part("a", null, "X");
        MockPart second = part("b", null, "Y");
        MockPart both = part("a", null, "X\n1:b\n\n\nY");

        assertThat(multipart("----b", both)).isNotEqualTo(multipart("----b", first, second));
    }

    private String multipart(String boundary, MockPart... parts) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/a");
        request.setContentType("multipart/form-data; boundary=" + boundary);
        for (MockPart part : parts) {
            request.addPart(part);
        }
        return this.fingerprinter.fingerprint(request, "/a", BufferedBody.EMPTY);
    }

    private static MockPart part(String name, String fileName, String content) {
        return new MockPart(name, fileName, content.getBytes(StandardCharsets.UTF_8));
    }

    private String fingerprint(String method, String path, String query, String contentType, String body)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setQueryString(query);
        request.setContentType(contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return this.fingerprinter.fingerprint(request, path, new BufferedBody(bytes, bytes.length));
    }
}
