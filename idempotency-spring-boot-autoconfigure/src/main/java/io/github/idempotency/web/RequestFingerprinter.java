package io.github.idempotency.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.http.MediaType;

/**
 * Computes a request's fingerprint: a SHA-256 digest over its method, path, query string, content type
 * and body. The same key presented with a different fingerprint is a misuse of the key.
 *
 * <p>The body is the buffered body bytes; for form posts it is the parameters (the container may already
 * have parsed the body into them), for multipart requests the parts' names, file names, content types
 * and bytes.
 */
public class RequestFingerprinter {

    /** Length of a fingerprint: a SHA-256 digest in hex. */
    static final int LENGTH = 64;

    private static final HexFormat HEX = HexFormat.of();

    private static final byte SEPARATOR = '\n';

    /**
     * Computes the fingerprint of a request.
     * @param request the request, with its body buffered in {@code body} unless it is a form or multipart
     * @param path the request path within the application
     * @param body the buffered body, ignored for form and multipart requests
     * @return the hex-encoded SHA-256 digest
     * @throws IOException if a multipart part cannot be read
     */
    public String fingerprint(HttpServletRequest request, String path, BufferedBody body) throws IOException {
        MessageDigest digest = sha256();
        update(digest, request.getMethod());
        update(digest, path);
        update(digest, request.getQueryString());
        String contentType = request.getContentType();
        update(digest, contentType);
        if (isForm(contentType)) {
            updateWithParameters(digest, request.getParameterMap());
        } else if (isMultipart(contentType)) {
            updateWithParts(digest, request);
        } else {
            digest.update(body.bytes(), 0, body.length());
        }
        return HEX.formatHex(digest.digest());
    }

    static boolean isForm(String contentType) {
        return contentType != null && startsWithIgnoreCase(contentType, MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && startsWithIgnoreCase(contentType, "multipart/");
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private void updateWithParameters(MessageDigest digest, Map<String, String[]> parameters) {
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            update(digest, parameter.getKey());
            for (String value : parameter.getValue()) {
                update(digest, value);
            }
        }
    }

    private void updateWithParts(MessageDigest digest, HttpServletRequest request) throws IOException {
        try {
            byte[] chunk = new byte[8192];
            for (Part part : request.getParts()) {
                update(digest, part.getName());
                update(digest, part.getSubmittedFileName());
                update(digest, part.getContentType());
                try (InputStream content = part.getInputStream()) {
                    for (int read = content.read(chunk); read != -1; read = content.read(chunk)) {
                        digest.update(chunk, 0, read);
                    }
                }
                digest.update(SEPARATOR);
            }
        } catch (ServletException ex) {
            throw new IOException("Multipart request cannot be read", ex);
        }
    }

    private static void update(MessageDigest digest, String value) {
        if (value != null) {
            // Length-prefixed, so that no two different field sequences produce the same input.
            digest.update(Integer.toString(value.length()).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) ':');
            digest.update(value.getBytes(StandardCharsets.UTF_8));
        }
        digest.update(SEPARATOR);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }
}
