package io.github.idempotency.web;

import io.github.idempotency.UnsafeHttpMethods;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Wraps the requests that may reach an idempotent handler, so that the {@link IdempotencyHandlerInterceptor}
 * can fingerprint the body and hold back the response until it is recorded. It also records a response
 * written by the container's error page ({@code sendError}), in the error dispatch that writes it, and
 * releases any claim that an escaping exception left open.
 */
public class IdempotencyFilter implements Filter {

    private static final Log logger = LogFactory.getLog(IdempotencyFilter.class);

    private final IdempotentExchanges exchanges;

    private final long maxResponseSize;

    /**
     * Creates a filter.
     * @param exchanges ends the claims of idempotent requests
     * @param settings the application's settings
     */
    public IdempotencyFilter(IdempotentExchanges exchanges, IdempotencySettings settings) {
        this.exchanges = exchanges;
        this.maxResponseSize = settings.maxResponseSize();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest httpRequest)
                || !(response instanceof HttpServletResponse httpResponse)) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getDispatcherType() == DispatcherType.REQUEST
                && UnsafeHttpMethods.includes(httpRequest.getMethod())) {
            filterRequest(httpRequest, httpResponse, chain);
        } else if (request.getDispatcherType() == DispatcherType.ERROR && pendingExchange(httpRequest) != null) {
            filterErrorDispatch(httpRequest, httpResponse, chain);
        } else {
            chain.doFilter(request, response);
        }
    }

    private void filterRequest(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        CapturingResponseWrapper capturing = new CapturingResponseWrapper(response);
        try {
            chain.doFilter(new IdempotentRequestWrapper(request), capturing);
        } catch (IOException | ServletException | RuntimeException | Error ex) {
            abandonPending(request);
            throw ex;
        }
        IdempotentExchange exchange = pendingExchange(request);
        if (exchange == null) {
            return;
        }
        if (capturing.isErrorSent() && !exchange.isTransactional() && !request.isAsyncStarted()) {
            // The container writes the error page in an error dispatch; it is recorded there.
            exchange.setHandledException((Throwable) request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE));
            exchange.setHeaderNamesBeforeError(capturing.getCapturedHeaderNames());
            return;
        }
        if (request.isAsyncStarted()) {
            // Asynchronous handlers are refused at startup; one that started asynchronous processing by itself
            // answers later, outside this filter, where its response cannot be held back and recorded.
            logger.warn("Idempotent request " + request.getRequestURI()
                    + " started asynchronous processing: its response is not recorded and its key is released");
            capturing.stopCapture();
        }
        this.exchanges.abandon(exchange);
    }

    private void filterErrorDispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        IdempotentExchange exchange = pendingExchange(request);
        CapturingResponseWrapper capturing = new CapturingResponseWrapper(response);
        capturing.startCapture(this.maxResponseSize);
        capturing.rememberHeaderNames(exchange.getHeaderNamesBeforeError());
        try {
            chain.doFilter(request, capturing);
        } catch (IOException | ServletException | RuntimeException | Error ex) {
            abandonPending(request);
            throw ex;
        }
        this.exchanges.finish(exchange, capturing);
    }

    private void abandonPending(HttpServletRequest request) {
        IdempotentExchange exchange = pendingExchange(request);
        if (exchange != null) {
            this.exchanges.abandon(exchange);
        }
    }

    static IdempotentExchange pendingExchange(HttpServletRequest request) {
        Object exchange = request.getAttribute(IdempotentExchange.ATTRIBUTE);
        return (exchange instanceof IdempotentExchange pending && !pending.isFinished()) ? pending : null;
    }
}
