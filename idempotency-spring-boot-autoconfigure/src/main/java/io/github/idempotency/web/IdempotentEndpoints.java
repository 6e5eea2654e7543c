package io.github.idempotency.web;

import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.Idempotent;
import io.github.idempotency.KeySource;
import io.github.idempotency.engine.AnnotationDurations;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.util.ClassUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * Finds the {@link Idempotent} handler methods and their effective settings, once per method.
 */
class IdempotentEndpoints {

    private final IdempotencySettings settings;

    /**
     * By controller class and method, not by method alone: a handler method inherited from a shared base
     * controller is one {@link Method} in every subclass, each of which may or may not be annotated.
     */
    private final Map<Handler, Optional<IdempotentEndpoint>> cache = new ConcurrentHashMap<>();

    IdempotentEndpoints(IdempotencySettings settings) {
        this.settings = settings;
    }

    /**
     * Returns the settings of a handler method, or {@code null} if it is not idempotent.
     * @throws IllegalStateException if its annotation has an invalid attribute
     */
    IdempotentEndpoint find(HandlerMethod handlerMethod) {
        return this.cache
                .computeIfAbsent(
                        new Handler(handlerMethod.getBeanType(), handlerMethod.getMethod()),
                        (handler) -> Optional.ofNullable(resolve(handlerMethod)))
                .orElse(null);
    }

    private IdempotentEndpoint resolve(HandlerMethod handlerMethod) {
        Idempotent idempotent = IdempotentHandlerMethods.findAnnotation(handlerMethod);
        if (idempotent == null) {
            return null;
        }
        IdempotencyScope scope =
                (idempotent.scope() != IdempotencyScope.DEFAULT) ? idempotent.scope() : this.settings.scope();
        RequestKeyExpression keyExpression = keyExpression(idempotent, handlerMethod);
        boolean keyFromPayload = idempotent.keySource() == KeySource.PAYLOAD;
        if (keyFromPayload && keyExpression != null) {
            throw new IllegalStateException("@Idempotent(key = \"" + idempotent.key() + "\", keySource = PAYLOAD) on "
                    + describe(handlerMethod) + " names two sources of the key: keep the expression or the payload");
        }
        if (keyFromPayload && this.settings.maxKeyLength() < RequestFingerprinter.LENGTH) {
            throw new IllegalStateException("@Idempotent(keySource = PAYLOAD) on " + describe(handlerMethod)
                    + " derives keys of " + RequestFingerprinter.LENGTH + " characters, longer than "
                    + "idempotency.max-key-length (" + this.settings.maxKeyLength() + ") accepts");
        }
        return new IdempotentEndpoint(
                describe(handlerMethod),
                idempotent.required(),
                ttl(idempotent, handlerMethod),
                scope,
                idempotent.transactional() || this.settings.transactional(),
                keyExpression,
                keyFromPayload);
    }

    private static RequestKeyExpression keyExpression(Idempotent idempotent, HandlerMethod handlerMethod) {
        if (idempotent.key().isEmpty()) {
            return null;
        }
        try {
            return RequestKeyExpression.parse(idempotent.key());
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(
                    "@Idempotent(key = \"" + idempotent.key() + "\") on " + describe(handlerMethod) + " "
                            + ex.getMessage(),
                    ex);
        }
    }

    private Duration ttl(Idempotent idempotent, HandlerMethod handlerMethod) {
        try {
            Duration ttl = AnnotationDurations.parse(idempotent.ttl());
            return (ttl != null) ? ttl : this.settings.ttl();
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(
                    "@Idempotent(ttl = \"" + idempotent.ttl() + "\") on " + describe(handlerMethod) + " "
                            + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Describes a handler method for messages, such as {@code OrderController#create(NewOrder)}.
     */
    static String describe(HandlerMethod handlerMethod) {
        StringJoiner parameters = new StringJoiner(", ", "(", ")");
        for (Class<?> type : handlerMethod.getMethod().getParameterTypes()) {
            parameters.add(type.getSimpleName());
        }
        return ClassUtils.getShortName(handlerMethod.getBeanType()) + "#"
                + handlerMethod.getMethod().getName() + parameters;
    }

    private record Handler(Class<?> beanType, Method method) {}
}
