package io.github.idempotency.web;

import io.github.idempotency.IdempotencyScope;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/**
 * Scopes keys by the authenticated principal's name ({@code anonymous} when there is none), the HTTP
 * method and the request path, as the {@link IdempotencyScope} asks.
 */
public class DefaultIdempotencyScopeResolver implements IdempotencyScopeResolver {

    /** The caller part of the scope of an unauthenticated request. */
    public static final String ANONYMOUS = "anonymous";

    @Override
    public String resolveScope(HttpServletRequest request, IdempotencyScope scope) {
        return switch (scope) {
            case USER_AND_ENDPOINT -> caller(request) + " " + endpoint(request);
            case USER -> caller(request);
            case ENDPOINT -> endpoint(request);
            case GLOBAL -> "";
            case DEFAULT -> throw new IllegalArgumentException("The default scope must be resolved first");
        };
    }

    private static String caller(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        // The prefix keeps a user who is literally named "anonymous" apart from unauthenticated callers.
        return (principal != null) ? "user:" + principal.getName() : ANONYMOUS;
    }

    private static String endpoint(HttpServletRequest request) {
        return request.getMethod() + " " + RequestPaths.pathWithinApplication(request);
    }
}
