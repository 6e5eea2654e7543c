package io.github.idempotency.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The request path as scope and fingerprint see it.
 */
final class RequestPaths {

    private RequestPaths() {}

    /**
     * Returns the request URI, still encoded, without the context path: the same operation has the same
     * path wherever the application is deployed.
     */
    static String pathWithinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        return (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath))
                ? uri.substring(contextPath.length())
                : uri;
    }
}
