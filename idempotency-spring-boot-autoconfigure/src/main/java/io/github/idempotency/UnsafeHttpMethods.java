package io.github.idempotency;

import java.util.Set;

/**
 * The HTTP methods whose requests are made idempotent: {@code POST}, {@code PUT}, {@code PATCH} and
 * {@code DELETE}, the methods that change state and that clients retry. The server's front door claims keys
 * only for them, its OpenAPI description documents the key only for them, and the {@code RestClient}
 * companion sends a key only with them. Every other request, the safe methods ({@code GET}, {@code HEAD},
 * {@code OPTIONS}, {@code TRACE}) and any extension method alike, passes through untouched.
 */
public final class UnsafeHttpMethods {

    private static final Set<String> NAMES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private UnsafeHttpMethods() {}

    /**
     * Returns whether requests with a method are made idempotent.
     * @param method the method's name, as the request carries it (case-sensitive, as HTTP's are)
     * @return whether it is {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
     */
    public static boolean includes(String method) {
        return method != null && NAMES.contains(method);
    }
}
