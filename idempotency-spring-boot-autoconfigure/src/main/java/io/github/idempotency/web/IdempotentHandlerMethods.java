package io.github.idempotency.web;

import io.github.idempotency.Idempotent;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * Finds the {@link Idempotent} annotation that governs a Spring MVC handler method, for the HTTP front door and
 * for what describes its endpoints (the OpenAPI customizer).
 */
public final class IdempotentHandlerMethods {

    private IdempotentHandlerMethods() {}

    /**
     * Returns the annotation on the handler method, else on its controller class, else {@code null}.
     * @param handlerMethod the handler method
     * @return the annotation that applies, or {@code null} if the endpoint is not idempotent
     */
    public static Idempotent findAnnotation(HandlerMethod handlerMethod) {
        Idempotent onMethod = AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(), Idempotent.class);
        return (onMethod != null)
                ? onMethod
                : AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getBeanType(), Idempotent.class);
    }
}
