package io.github.idempotency.web;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Releases any claim still open when a request ends, which only happens when a handler called
 * {@code sendError} and no error dispatch followed to produce (and record) the error response.
 */
public class IdempotentExchangeCleanupListener implements ServletRequestListener {

    private final IdempotentExchanges exchanges;

    /**
     * Creates a listener.
     * @param exchanges ends the claims of idempotent requests
     */
    public IdempotentExchangeCleanupListener(IdempotentExchanges exchanges) {
        this.exchanges = exchanges;
    }

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        if (event.getServletRequest() instanceof HttpServletRequest request) {
            IdempotentExchange exchange = IdempotencyFilter.pendingExchange(request);
            if (exchange != null) {
                this.exchanges.abandon(exchange);
            }
        }
    }
}
