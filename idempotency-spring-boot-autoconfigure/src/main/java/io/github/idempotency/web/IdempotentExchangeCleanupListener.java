package io.github.idempotency.web;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;

/**
 * Releases any claim still open when a request ends, which only happens when a handler called
 * {@code sendError} and no error dispatch followed to produce (and record) the error response.
 */
public class IdempotentExchangeCleanupListener implements ServletRequestListener {

    private final IdempotencyFilter filter;

    /**
     * Creates a listener.
     * @param filter the filter that releases claims
     */
    public IdempotentExchangeCleanupListener(IdempotencyFilter filter) {
        this.filter = filter;
    }

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        if (event.getServletRequest().getAttribute(IdempotentExchange.ATTRIBUTE)
                instanceof IdempotentExchange exchange) {
            this.filter.release(exchange);
        }
    }
}
