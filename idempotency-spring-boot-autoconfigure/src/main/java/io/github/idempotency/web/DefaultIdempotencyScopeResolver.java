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
        Principal principal = request.getUserPrincipal();
        return scope(
                scope,
                (principal != null) ? principal.getName() : null,
                request.getMethod(),
                RequestPaths.pathWithinApplication(request));
    }

    /**
     * Returns the scope this resolver gives a request from its parts: what an operator needs to address a
     * request's record without the request (the {@code idempotency} actuator endpoint).
     * @param scope what the key is scoped to, never {@link IdempotencyScope#DEFAULT}
     * @param user the authenticated principal's name, {@code null} when unauthenticated
     * @param method the HTTP method, such as {@code POST}; unused unless the scope includes the endpoint
     * @param path the request path within the application (without the context path), still encoded;
     * unused unless the scope includes the endpoint
     * @return the scope
     */
    public static String scope(IdempotencyScope scope, String user, String method, String path) {
        return switch (scope) {
            case USER_AND_ENDPOINT -> caller(user) + " " + endpoint(method, path);
            case USER -> caller(user);
            case ENDPOINT -> endpoint(method, path);
            case GLOBAL -> "";
            case DEFAULT -> throw new IllegalArgumentException("The default scope must be resolved first");
        };
    }

    private static String caller(String user) {
        // The prefix keeps a user who is literally named "anonymous" apart from unauthenticated callers.
        return (user != null) ? "user:" + user : ANONYMOUS;
    }

    private static String endpoint(String method, String path) {
        return method + " " + path;
    }
}
