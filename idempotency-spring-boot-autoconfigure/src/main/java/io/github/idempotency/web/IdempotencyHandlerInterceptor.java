package io.github.idempotency.web;

import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.UnsafeHttpMethods;
import io.github.idempotency.engine.Admission;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.engine.IdempotentOperation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * Claims the idempotency key of a request to an {@code @Idempotent} handler before the handler runs, and
 * answers instead of the handler when the key is missing, invalid, in use, or already completed.
 *
 * <p>It runs after authentication and handler mapping, so a request that is refused before reaching the
 * handler never claims anything. The {@link IdempotencyFilter} must wrap the request: it buffers the body
 * for the fingerprint and holds back the response, and it finishes the claim after the handler.
 */
public class IdempotencyHandlerInterceptor implements HandlerInterceptor {

    private final IdempotencyEngine engine;

    private final IdempotencySettings settings;

    private final IdempotentEndpoints endpoints;

    private final IdempotencyScopeResolver scopeResolver;

    private final IdempotentExchanges exchanges;

    private final IdempotencyKeyParser keyParser;

    private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

    private final ProblemResponseWriter problemWriter = new ProblemResponseWriter();

    private final ResponseReplayer replayer = new ResponseReplayer(this.problemWriter);

    /**
     * Creates an interceptor.
     * @param engine claims keys and decides what each request does
     * @param settings the application's settings
     * @param scopeResolver resolves what keys are scoped to
     * @param exchanges ends the claims once the response is complete
     */
    public IdempotencyHandlerInterceptor(
            IdempotencyEngine engine,
            IdempotencySettings settings,
            IdempotencyScopeResolver scopeResolver,
            IdempotentExchanges exchanges) {
        this.engine = engine;
        this.settings = settings;
        this.endpoints = new IdempotentEndpoints(settings);
        this.scopeResolver = scopeResolver;
        this.exchanges = exchanges;
        this.keyParser = new IdempotencyKeyParser(settings.maxKeyLength());
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        if (!(handler instanceof HandlerMethod handlerMethod) || !UnsafeHttpMethods.includes(request.getMethod())) {
            return true;
        }
        IdempotentEndpoint endpoint = this.endpoints.find(handlerMethod);
        if (endpoint == null || request.getAttribute(IdempotentExchange.ATTRIBUTE) != null) {
            return true;
        }
        IdempotentRequestWrapper wrappedRequest = WebUtils.getNativeRequest(request, IdempotentRequestWrapper.class);
        CapturingResponseWrapper wrappedResponse = WebUtils.getNativeResponse(response, CapturingResponseWrapper.class);
        if (wrappedRequest == null || wrappedResponse == null) {
            throw new IllegalStateException("@Idempotent handler " + IdempotentEndpoints.describe(handlerMethod)
                    + " was reached without the IdempotencyFilter: register it for the DispatcherServlet's requests");
        }
        String instance = request.getRequestURI();
        IdempotencyKeyParser.Result key = null;
        if (endpoint.keyFromHeader()) {
            key = this.keyParser.parse(request.getHeaders(this.settings.headerName()));
            if (key.key() == null) {
                return refuseKey(key, endpoint, response, instance);
            }
        }
        String path = RequestPaths.pathWithinApplication(request);
        BufferedBody body;
        String fingerprint;
        try {
            if (isFormOrMultipart(request)) {
                wrappedRequest.checkDeclaredLength(this.settings.maxRequestSize());
                body = BufferedBody.EMPTY;
            } else {
                body = wrappedRequest.bufferBody(this.settings.maxRequestSize());
            }
            fingerprint = this.fingerprinter.fingerprint(request, path, body);
        } catch (IdempotentRequestWrapper.RequestTooLargeException ex) {
            this.engine.reject(endpoint.name());
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.REQUEST_TOO_LARGE,
                    "An idempotent request's body may be at most " + ex.getMaxSize() + " bytes",
                    instance);
            return false;
        }
        if (endpoint.keyExpression() != null) {
            key = endpoint.keyExpression().evaluate(request, body, this.keyParser);
            if (key.key() == null) {
                return refuseKey(key, endpoint, response, instance);
            }
        }
        // A payload key is the fingerprint itself: the same request is the same operation.
        String keyValue = endpoint.keyFromPayload() ? fingerprint : key.key();
        IdempotencyKey storeKey =
                new IdempotencyKey(this.scopeResolver.resolveScope(request, endpoint.scope()), keyValue);
        Admission admission = this.engine.admit(new IdempotentOperation(
                endpoint.name(), storeKey, fingerprint, endpoint.ttl(), endpoint.transactional()));
        if (admission instanceof Admission.Proceed proceed) {
            request.setAttribute(IdempotentExchange.ATTRIBUTE, new IdempotentExchange(proceed.execution()));
            // Nothing of a transactional response may reach the client before the commit, whatever its size.
            wrappedResponse.startCapture(this.settings.maxResponseSize(), endpoint.transactional());
            return true;
        }
        if (admission instanceof Admission.Unprotected) {
            return true;
        }
        if (admission instanceof Admission.Replay replay) {
            this.replayer.replay(response, replay.response(), instance);
        } else if (admission instanceof Admission.InProgress inProgress) {
            long retryAfter = inProgress.retryAfter().toSeconds();
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.IN_PROGRESS,
                    "A request with this idempotency key is still being processed; retry after " + retryAfter
                            + " seconds to get its result",
                    instance);
        } else if (admission instanceof Admission.KeyReused) {
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.KEY_REUSED,
                    "This idempotency key was already used for a different request (method, path, query, "
                            + "content type or body differ); use a new key for a new operation",
                    instance);
        } else {
            this.problemWriter.writeStoreUnavailable(
                    response,
                    "The request was not processed because its idempotency key cannot be checked right now; "
                            + "retry later with the same key",
                    instance);
        }
        return false;
    }

    /**
     * Ends the claim once the handler and any exception handler have produced the response, and before
     * interceptors that run earlier (such as Open EntityManager in View) close what the transactional mode
     * still needs. A response that the container's error page will write is recorded by the
     * {@link IdempotencyFilter} in the error dispatch, except in the transactional mode, which rolls back.
     */
    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex)
            throws IOException {
        IdempotentExchange exchange = IdempotencyFilter.pendingExchange(request);
        if (exchange == null) {
            return;
        }
        CapturingResponseWrapper capturing = WebUtils.getNativeResponse(response, CapturingResponseWrapper.class);
        if (ex != null || capturing == null || (capturing.isErrorSent() && exchange.isTransactional())) {
            this.exchanges.abandon(exchange);
            return;
        }
        if (capturing.isErrorSent() || request.isAsyncStarted()) {
            return;
        }
        exchange.setHandledException((Throwable) request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE));
        this.exchanges.finish(exchange, capturing);
    }

    /**
     * Answers a request whose key is missing or invalid, unless a missing key lets it run unprotected.
     * @return whether the handler runs
     */
    private boolean refuseKey(
            IdempotencyKeyParser.Result key, IdempotentEndpoint endpoint, HttpServletResponse response, String instance)
            throws IOException {
        if (key.isMissing() && !endpoint.required()) {
            return true;
        }
        this.engine.reject(endpoint.name());
        RequestKeyExpression expression = endpoint.keyExpression();
        if (key.isMissing()) {
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.MISSING_KEY,
                    (expression != null)
                            ? "This endpoint takes its idempotency key from the request (" + expression.text()
                                    + "), and this request has no value there"
                            : "This endpoint requires an '" + this.settings.headerName()
                                    + "' header with a unique value for each operation",
                    instance);
        } else {
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.INVALID_KEY,
                    (expression != null)
                            ? "The idempotency key from " + expression.text() + " is invalid: " + key.problem()
                            : "The '" + this.settings.headerName() + "' header is invalid: " + key.problem(),
                    instance);
        }
        return false;
    }

    /**
     * Returns the handlers' settings as this interceptor resolves them, for the startup check to resolve
     * (and so parse every key expression) once.
     */
    IdempotentEndpoints endpoints() {
        return this.endpoints;
    }

    IdempotencySettings settings() {
        return this.settings;
    }

    private static boolean isFormOrMultipart(HttpServletRequest request) {
        String contentType = request.getContentType();
        return RequestFingerprinter.isForm(contentType) || RequestFingerprinter.isMultipart(contentType);
    }
}
