package io.github.idempotency.web;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
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

    private static final Log logger = LogFactory.getLog(IdempotencyHandlerInterceptor.class);

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private static final int STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    private final IdempotencyStore store;

    private final IdempotencySettings settings;

    private final IdempotentEndpoints endpoints;

    private final IdempotencyScopeResolver scopeResolver;

    private final LeaseRenewer leaseRenewer;

    private final IdempotencyKeyParser keyParser;

    private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

    private final ProblemResponseWriter problemWriter = new ProblemResponseWriter();

    private final ResponseReplayer replayer = new ResponseReplayer(this.problemWriter);

    /**
     * Creates an interceptor.
     * @param store where keys are claimed
     * @param settings the application's settings
     * @param scopeResolver resolves what keys are scoped to
     * @param leaseRenewer renews the leases of slow handlers
     */
    public IdempotencyHandlerInterceptor(
            IdempotencyStore store,
            IdempotencySettings settings,
            IdempotencyScopeResolver scopeResolver,
            LeaseRenewer leaseRenewer) {
        this.store = store;
        this.settings = settings;
        this.endpoints = new IdempotentEndpoints(settings);
        this.scopeResolver = scopeResolver;
        this.leaseRenewer = leaseRenewer;
        this.keyParser = new IdempotencyKeyParser(settings.maxKeyLength());
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        if (!(handler instanceof HandlerMethod handlerMethod) || SAFE_METHODS.contains(request.getMethod())) {
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
        IdempotencyKeyParser.Result key = this.keyParser.parse(request.getHeaders(this.settings.headerName()));
        if (key.isMissing()) {
            if (!endpoint.required()) {
                return true;
            }
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.MISSING_KEY,
                    "This endpoint requires an '" + this.settings.headerName()
                            + "' header with a unique value for each operation",
                    instance);
            return false;
        }
        if (key.isInvalid()) {
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.INVALID_KEY,
                    "The '" + this.settings.headerName() + "' header is invalid: " + key.problem(),
                    instance);
            return false;
        }
        String path = RequestPaths.pathWithinApplication(request);
        String fingerprint;
        try {
            BufferedBody body = isFormOrMultipart(request)
                    ? BufferedBody.EMPTY
                    : wrappedRequest.bufferBody(this.settings.maxRequestSize());
            fingerprint = this.fingerprinter.fingerprint(request, path, body);
        } catch (IdempotentRequestWrapper.RequestTooLargeException ex) {
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.REQUEST_TOO_LARGE,
                    "An idempotent request's body may be at most " + ex.getMaxSize() + " bytes",
                    instance);
            return false;
        }
        IdempotencyKey storeKey =
                new IdempotencyKey(this.scopeResolver.resolveScope(request, endpoint.scope()), key.key());
        ClaimResult claim;
        try {
            claim = this.store.claim(storeKey, fingerprint, this.settings.lease());
        } catch (IdempotencyStoreException ex) {
            return storeUnavailable(response, storeKey, instance, ex);
        }
        if (claim instanceof ClaimResult.Claimed claimed) {
            LeaseRenewer.Renewal renewal =
                    this.leaseRenewer.start(this.store, storeKey, claimed.token(), this.settings.lease());
            request.setAttribute(
                    IdempotentExchange.ATTRIBUTE, new IdempotentExchange(storeKey, claimed.token(), endpoint, renewal));
            wrappedResponse.startCapture(this.settings.maxResponseSize());
            return true;
        }
        if (claim instanceof ClaimResult.Completed completed) {
            this.replayer.replay(response, completed.response(), instance);
        } else if (claim instanceof ClaimResult.InProgress inProgress) {
            long retryAfter = Math.max(1, (inProgress.leaseRemaining().toMillis() + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.IN_PROGRESS,
                    "A request with this idempotency key is still being processed; retry after " + retryAfter
                            + " seconds to get its result",
                    instance);
        } else {
            this.problemWriter.write(
                    response,
                    IdempotencyProblem.KEY_REUSED,
                    "This idempotency key was already used for a different request (method, path, query, "
                            + "content type or body differ); use a new key for a new operation",
                    instance);
        }
        return false;
    }

    private boolean storeUnavailable(
            HttpServletResponse response, IdempotencyKey key, String instance, IdempotencyStoreException ex)
            throws IOException {
        if (this.settings.failOpen()) {
            logger.warn(
                    "Idempotency store unavailable: running the request with key '" + key.key()
                            + "' unprotected (idempotency.store.failure-mode=FAIL_OPEN)",
                    ex);
            return true;
        }
        logger.warn("Idempotency store unavailable: refusing the request with key '" + key.key() + "'", ex);
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS));
        this.problemWriter.write(
                response,
                IdempotencyProblem.STORE_UNAVAILABLE,
                "The request was not processed because its idempotency key cannot be checked right now; "
                        + "retry later with the same key",
                instance);
        return false;
    }

    private static boolean isFormOrMultipart(HttpServletRequest request) {
        String contentType = request.getContentType();
        return RequestFingerprinter.isForm(contentType) || RequestFingerprinter.isMultipart(contentType);
    }
}
