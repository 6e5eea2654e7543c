package io.github.idempotency.web;

import io.github.idempotency.IdempotencyScope;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Resolves what an idempotency key is scoped to for a request. Declare a bean of this type to replace the
 * default ({@link DefaultIdempotencyScopeResolver}), for example to scope keys to a tenant.
 */
@FunctionalInterface
public interface IdempotencyScopeResolver {

    /**
     * Resolves the scope of a request's key. Two requests share a record only if their scopes are equal.
     * @param request the request, after authentication
     * @param scope the scope configured for the endpoint, never {@link IdempotencyScope#DEFAULT}
     * @return the scope, never {@code null}
     */
    String resolveScope(HttpServletRequest request, IdempotencyScope scope);
}
