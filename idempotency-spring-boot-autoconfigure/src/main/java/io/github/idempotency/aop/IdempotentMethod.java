package io.github.idempotency.aop;

import io.github.idempotency.InProgressPolicy;
import java.lang.reflect.Method;
import java.time.Duration;
import org.springframework.core.ResolvableType;
import org.springframework.expression.Expression;

/**
 * One {@code @Idempotent} bean method as its annotation declares it, read and checked once: its expressions
 * parsed, its durations parsed, its return type resolved against the bean's class.
 *
 * @param method the method
 * @param name the operation's name for logs and metrics: the declaring class and signature
 * @param scope the key space of its records, {@code method:} and the shared name or its own
 * @param key the parsed key expression
 * @param fingerprint the parsed fingerprint expression, or {@code null} when keys are not compared
 * @param ttl how long an outcome is kept, or {@code null} for {@code idempotency.ttl}
 * @param onInProgress what a call does while another with the same key runs
 * @param maxWait the longest wait under {@link InProgressPolicy#WAIT}, or {@code null} for the lease
 * @param returnType the return type to restore recorded outcomes to
 * @param transactional whether {@code @Idempotent(transactional = true)} asks for a transaction the engine
 * begins (or joins), so that the claim, the method's writes and the record commit together
 */
record IdempotentMethod(
        Method method,
        String name,
        String scope,
        Expression key,
        Expression fingerprint,
        Duration ttl,
        InProgressPolicy onInProgress,
        Duration maxWait,
        ResolvableType returnType,
        boolean transactional) {

    /** Scope prefix of method keys, which keeps them apart from HTTP keys in a shared store. */
    static final String SCOPE_PREFIX = "method:";

    /**
     * Returns whether the method returns nothing, so that its record only says that it ran.
     */
    boolean isVoid() {
        Class<?> type = this.returnType.toClass();
        return type == void.class || type == Void.class;
    }
}
