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
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Computes a request's fingerprint: a SHA-256 digest over its method, path, query string, content type
 * and body. The same key presented with a different fingerprint is a misuse of the key.
 *
 * <p>The body is the buffered body bytes; for form posts it is the parameters (the container may already
 * have parsed the body into them), for multipart requests the parts' names, file names, content types
 * and bytes, and their content type without its {@code boundary}, which clients choose anew for every
 * send.
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
        if (isMultipart(contentType)) {
            // The boundary is chosen anew by most clients for every send, retries included; the parts
            // themselves are what the request says.
            update(digest, withoutBoundary(contentType));
            updateWithParts(digest, request);
        } else if (isForm(contentType)) {
            update(digest, contentType);
            updateWithParameters(digest, request.getParameterMap());
        } else {
            update(digest, contentType);
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

    private static String withoutBoundary(String contentType) {
        try {
            MediaType mediaType = MediaType.parseMediaType(contentType);
            Map<String, String> parameters = new LinkedHashMap<>(mediaType.getParameters());
            parameters.keySet().removeIf("boundary"::equalsIgnoreCase);
            return new MediaType(mediaType, parameters).toString();
        } catch (InvalidMediaTypeException ex) {
            // The container could not read its parts either; the request fails before it is claimed.
            return contentType;
        }
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
                // Length-prefixed like every other field, so that no bytes can shift between parts.
                updateLength(digest, part.getSize());
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
            updateLength(digest, value.length());
            digest.update(value.getBytes(StandardCharsets.UTF_8));
        }
        digest.update(SEPARATOR);
    }

    private static void updateLength(MessageDigest digest, long length) {
        digest.update(Long.toString(length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }
}
