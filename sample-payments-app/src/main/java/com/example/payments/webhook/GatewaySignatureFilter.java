package com.example.payments.webhook;

import com.example.payments.api.Problems;
import com.example.payments.security.SecurityProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks the signature of every delivery to the card network's webhook before anything else sees it: the
 * {@code X-Gateway-Signature} header must be the lowercase hex HMAC-SHA256 of the raw body, keyed with
 * {@code sample.webhooks.secret}. A delivery without it, or with another, is answered {@code 401} here.
 *
 * <p>It must run before the idempotency layer claims the event's id: were the signature checked in the
 * handler, a forged request carrying a real event id would claim that id first, and its {@code 401} would be
 * recorded and replayed to the genuine delivery.
 */
public class GatewaySignatureFilter extends OncePerRequestFilter {

    /** The header carrying the signature. */
    public static final String SIGNATURE_HEADER = "X-Gateway-Signature";

    /** Deliveries are small; a larger body is refused before it is read into memory. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private final SecurityProblemWriter problems;

    /**
     * Creates the filter.
     * @param properties the webhook's settings, with the signing secret
     * @param problems writes the {@code 401}
     */
    public GatewaySignatureFilter(WebhookProperties properties, SecurityProblemWriter problems) {
        this.key = new SecretKeySpec(properties.secret().getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        String signature = request.getHeader(SIGNATURE_HEADER);
        if (body.length > MAX_BODY_BYTES || signature == null || !matches(signature, body)) {
            this.problems.write(
                    request,
                    response,
                    Problems.create(
                            HttpStatus.UNAUTHORIZED,
                            Problems.UNAUTHORIZED,
                            "Invalid signature",
                            "The " + SIGNATURE_HEADER + " header must be the lowercase hex HMAC-SHA256 of the"
                                    + " request body, keyed with the webhook's secret."));
            return;
        }
        chain.doFilter(new ReadBodyRequest(request, body), response);
    }

    /**
     * Returns the signature of a body.
     * @param body the raw body
     * @return its lowercase hex HMAC-SHA256
     */
    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(this.key);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException("HMAC-SHA256 is not available", ex);
        }
    }

    private boolean matches(String signature, byte[] body) {
        // Compared in constant time, so the answer's timing tells nothing about the right signature.
        return MessageDigest.isEqual(
                sign(body).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The request with its body already read, handed on intact.
     */
    private static final class ReadBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(this.body);
            return new ServletInputStream() {

                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("The body was read already");
                }
            };
        }

        @Override
        public int getContentLength() {
            return this.body.length;
        }

        @Override
        public long getContentLengthLong() {
            return this.body.length;
        }
    }
}
