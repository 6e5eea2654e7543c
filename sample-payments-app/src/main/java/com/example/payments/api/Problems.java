package com.example.payments.api;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problem details (RFC 9457) this API answers with, and their {@code type} URIs: stable, so that clients
 * can tell the cases apart without parsing the human-readable {@code detail}.
 */
public final class Problems {

    private static final String BASE = "https://example.com/payments/problems/";

    /** The request was malformed or failed validation; fix it before retrying. */
    public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");

    /** The card issuer refused the charge; retrying with the same card will not help. */
    public static final URI CARD_DECLINED = URI.create(BASE + "card-declined");

    /** The card gateway failed; nothing was charged and a retry may succeed. */
    public static final URI GATEWAY_UNAVAILABLE = URI.create(BASE + "gateway-unavailable");

    /** No such payment or refund for the caller. */
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");

    /** The refund asks for more than what is left to refund. */
    public static final URI REFUND_EXCEEDS_REMAINING = URI.create(BASE + "refund-exceeds-remaining");

    /** No valid credentials were sent. */
    public static final URI UNAUTHORIZED = URI.create(BASE + "unauthorized");

    /** The caller may not do this. */
    public static final URI FORBIDDEN = URI.create(BASE + "forbidden");

    /** The database is busy or unreachable for a moment; a retry after {@code Retry-After} may succeed. */
    public static final URI SERVICE_UNAVAILABLE = URI.create(BASE + "service-unavailable");

    /** The server failed; the details are in its log. */
    public static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");

    private Problems() {}

    /**
     * Creates a problem detail.
     * @param status the HTTP status
     * @param type one of the type URIs above
     * @param title a short summary of the type, the same for every occurrence
     * @param detail what happened this time and what the caller can do about it
     * @return the problem detail
     */
    public static ProblemDetail create(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }
}
