package io.github.idempotency.web;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyTransactions;
import io.github.idempotency.Idempotent;
import io.github.idempotency.UnsafeHttpMethods;
import io.github.idempotency.engine.IncompleteReturnTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Checks every {@link Idempotent} handler method once the application has started, and fails startup
 * with a message naming each method that cannot work: streaming and asynchronous handlers (their response
 * is not complete when the handler returns, so it cannot be recorded and replayed) and invalid attributes,
 * such as a key expression that cannot be parsed. It resolves each handler's settings for the
 * {@link IdempotencyHandlerInterceptor}, so a key expression is parsed once, here.
 */
public class IdempotentHandlerMethodValidator implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(IdempotentHandlerMethodValidator.class);

    private static final List<Class<?>> UNREPLAYABLE_TYPES = List.of(
            StreamingResponseBody.class,
            ResponseBodyEmitter.class,
            Callable.class,
            DeferredResult.class,
            WebAsyncTask.class);

    private static final String TRANSACTIONS_UNAVAILABLE = "needs the JDBC store on the database that the "
            + "application's transaction manager manages, so that the claim, the handler's writes and the recorded "
            + "response commit together";

    private final ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings;

    private final IdempotentEndpoints endpoints;

    private final boolean transactionalByDefault;

    private final IdempotencyStore store;

    private final IdempotencyTransactions transactions;

    /**
     * Creates a validator.
     * @param handlerMappings the application's request mappings
     * @param interceptor the interceptor whose handlers are checked, with the application's settings
     * @param store the store that keeps the records
     * @param transactions the store's transactions, {@code null} when it offers none
     */
    public IdempotentHandlerMethodValidator(
            ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings,
            IdempotencyHandlerInterceptor interceptor,
            IdempotencyStore store,
            IdempotencyTransactions transactions) {
        this.handlerMappings = handlerMappings;
        this.endpoints = interceptor.endpoints();
        this.transactionalByDefault = interceptor.settings().transactional();
        this.store = store;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> problems = new ArrayList<>();
        if (this.transactionalByDefault && this.transactions == null) {
            problems.add("idempotency.jdbc.transactional=true " + TRANSACTIONS_UNAVAILABLE);
        }
        this.handlerMappings.orderedStream().forEach((mapping) -> {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
                    mapping.getHandlerMethods().entrySet()) {
                check(entry.getKey(), entry.getValue(), problems);
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "@Idempotent cannot be applied as declared:\n - " + String.join("\n - ", problems) + "\n(store: "
                            + this.store.getClass().getName() + ")");
        }
    }

    private void check(RequestMappingInfo mapping, HandlerMethod handlerMethod, List<String> problems) {
        if (IdempotentHandlerMethods.findAnnotation(handlerMethod) == null) {
            return;
        }
        Set<RequestMethod> methods = mapping.getMethodsCondition().getMethods();
        if (!methods.isEmpty() && methods.stream().noneMatch((method) -> UnsafeHttpMethods.includes(method.name()))) {
            logger.warn("@Idempotent on " + IdempotentEndpoints.describe(handlerMethod) + " has no effect: " + methods
                    + " requests are never intercepted, only POST, PUT, PATCH and DELETE");
            return;
        }
        try {
            IdempotentEndpoint endpoint = this.endpoints.find(handlerMethod);
            if (endpoint.transactional() && this.transactions == null && !this.transactionalByDefault) {
                problems.add("@Idempotent(transactional = true) on " + IdempotentEndpoints.describe(handlerMethod) + " "
                        + TRANSACTIONS_UNAVAILABLE);
            }
        } catch (IllegalStateException ex) {
            problems.add(ex.getMessage());
        }
        Class<?> unreplayable = unreplayableReturnType(handlerMethod);
        if (unreplayable != null) {
            problems.add(IdempotentEndpoints.describe(handlerMethod) + " returns " + unreplayable.getSimpleName()
                    + ": its response is streamed or produced asynchronously, so it cannot be recorded and "
                    + "replayed; return the complete response instead, or remove @Idempotent");
        }
    }

    private static Class<?> unreplayableReturnType(HandlerMethod handlerMethod) {
        ResolvableType returnType = ResolvableType.forMethodReturnType(handlerMethod.getMethod());
        if (HttpEntity.class.isAssignableFrom(returnType.toClass())) {
            returnType = returnType.as(HttpEntity.class).getGeneric(0);
        }
        return IncompleteReturnTypes.find(returnType.toClass(), UNREPLAYABLE_TYPES);
    }
}
