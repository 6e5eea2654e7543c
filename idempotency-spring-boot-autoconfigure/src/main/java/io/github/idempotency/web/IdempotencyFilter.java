package io.github.idempotency.web;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Wraps requests that may reach an idempotent handler, and finishes the claim the
 * {@link IdempotencyHandlerInterceptor} made: after the handler and any exception handler have produced
 * the response, it records the response (or releases the key, as the {@link IdempotencyRecordPolicy}
 * decides), and only then sends it. A response written by the container's error page ({@code sendError})
 * is recorded in the error dispatch that writes it.
 *
 * <p>An exception that escapes the handler and every exception handler always releases the key.
 */
public class IdempotencyFilter implements Filter {

    private static final Log logger = LogFactory.getLog(IdempotencyFilter.class);

    private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final IdempotencyStore store;

    private final IdempotencyRecordPolicy recordPolicy;

    private final ResponseRecorder recorder;

    private final long maxResponseSize;

    /**
     * Creates a filter.
     * @param store where claims are completed or released
     * @param recordPolicy decides which responses are recorded
     * @param settings the application's settings
     * @param excludedHeaders response headers never recorded
     * @param includedHeaders response headers recorded; empty records all that are not excluded
     */
    public IdempotencyFilter(
            IdempotencyStore store,
            IdempotencyRecordPolicy recordPolicy,
            IdempotencySettings settings,
            Collection<String> excludedHeaders,
            Collection<String> includedHeaders) {
        this.store = store;
        this.recordPolicy = recordPolicy;
        this.recorder = new ResponseRecorder(excludedHeaders, includedHeaders);
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
        if (request.getDispatcherType() == DispatcherType.REQUEST && UNSAFE_METHODS.contains(httpRequest.getMethod())) {
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
            releaseAfterFailure(request, ex);
            throw ex;
        }
        IdempotentExchange exchange = pendingExchange(request);
        if (exchange == null) {
            return;
        }
        exchange.setHandledException((Throwable) request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE));
        if (request.isAsyncStarted()) {
            // Asynchronous handlers are refused at startup; one that started async processing by itself
            // answers later, outside this filter, so its response cannot be recorded.
            logger.warn("Idempotent request " + request.getRequestURI()
                    + " started asynchronous processing: its response is not recorded and its key is released");
            release(exchange);
            return;
        }
        if (capturing.isErrorSent()) {
            // The container writes the error page in an error dispatch; it is recorded there.
            return;
        }
        finish(exchange, capturing);
    }

    private void filterErrorDispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        IdempotentExchange exchange = pendingExchange(request);
        CapturingResponseWrapper capturing = new CapturingResponseWrapper(response);
        capturing.startCapture(this.maxResponseSize);
        try {
            chain.doFilter(request, capturing);
        } catch (IOException | ServletException | RuntimeException | Error ex) {
            releaseAfterFailure(request, ex);
            throw ex;
        }
        finish(exchange, capturing);
    }

    private void finish(IdempotentExchange exchange, CapturingResponseWrapper response) throws IOException {
        if (!exchange.finish()) {
            return;
        }
        HandlerOutcome outcome = new HandlerOutcome(response.getStatus(), exchange.getHandledException());
        if (this.recordPolicy.shouldRecord(outcome)) {
            complete(exchange, this.recorder.record(response));
        } else {
            releaseClaim(exchange);
        }
        response.sendCapturedBody();
    }

    private void complete(IdempotentExchange exchange, StoredResponse stored) {
        try {
            if (!this.store.complete(
                    exchange.getKey(),
                    exchange.getToken(),
                    stored,
                    exchange.getEndpoint().ttl())) {
                logger.warn("Response to idempotency key '" + exchange.getKey().key()
                        + "' was sent but not recorded: the lease expired and another request took the key over");
            }
        } catch (IdempotencyStoreException ex) {
            // The key stays in progress until its lease expires, so a retry cannot silently run twice.
            logger.error(
                    "Response to idempotency key '" + exchange.getKey().key()
                            + "' was sent but could not be recorded; the key stays in progress until its lease expires",
                    ex);
        }
    }

    private void releaseAfterFailure(HttpServletRequest request, Throwable failure) {
        IdempotentExchange exchange = pendingExchange(request);
        if (exchange != null) {
            if (logger.isDebugEnabled()) {
                logger.debug("Releasing idempotency key '" + exchange.getKey().key() + "' after " + failure);
            }
            release(exchange);
        }
    }

    /**
     * Releases the claim of an exchange that will not be recorded.
     * @param exchange the exchange
     */
    void release(IdempotentExchange exchange) {
        if (exchange.finish()) {
            releaseClaim(exchange);
        }
    }

    private void releaseClaim(IdempotentExchange exchange) {
        try {
            if (!this.store.release(exchange.getKey(), exchange.getToken())) {
                logger.warn("Idempotency key '" + exchange.getKey().key()
                        + "' was not released: the lease expired and another request took the key over");
            }
        } catch (IdempotencyStoreException ex) {
            logger.error(
                    "Idempotency key '" + exchange.getKey().key()
                            + "' could not be released; a retry gets 409 until its lease expires",
                    ex);
        }
    }

    private static IdempotentExchange pendingExchange(HttpServletRequest request) {
        Object exchange = request.getAttribute(IdempotentExchange.ATTRIBUTE);
        return (exchange instanceof IdempotentExchange pending && !pending.isFinished()) ? pending : null;
    }
}
