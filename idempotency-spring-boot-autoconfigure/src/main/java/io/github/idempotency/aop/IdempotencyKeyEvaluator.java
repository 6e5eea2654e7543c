package io.github.idempotency.aop;

import io.github.idempotency.IdempotencyKey;
import java.lang.reflect.Method;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;

/**
 * Evaluates the key and fingerprint expressions of an {@link IdempotentMethod} against one call's arguments,
 * in the context every Spring user knows from {@code @Cacheable(key = "#id")}: arguments by name where the
 * code is compiled with {@code -parameters}, {@code #p0} and {@code #a0} by position, and {@code #root} with
 * the method, the arguments and the target.
 */
class IdempotencyKeyEvaluator {

    /** How arguments get their names, here and in the startup check of the expressions that read them. */
    static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    /**
     * Returns the key of a call.
     * @throws IllegalArgumentException if the expression gives no value, a blank one, or one too long to store
     */
    String key(IdempotentMethod method, Object target, Object[] arguments) {
        Object value = evaluate(method.key(), method, target, arguments);
        String key = (value != null) ? value.toString() : null;
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(
                    "@Idempotent(key = \"" + method.key().getExpressionString() + "\") of "
                            + method.name() + " gave " + ((key == null) ? "null" : "a blank value")
                            + ": a call without a key cannot be de-duplicated, so it is not run");
        }
        if (key.length() > IdempotencyKey.MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "@Idempotent(key = \"" + method.key().getExpressionString() + "\") of "
                            + method.name() + " gave a key of " + key.length() + " characters; at most "
                            + IdempotencyKey.MAX_LENGTH
                            + " can be stored");
        }
        return key;
    }

    /**
     * Returns the value a call's fingerprint is taken of.
     */
    Object fingerprintValue(IdempotentMethod method, Object target, Object[] arguments) {
        return evaluate(method.fingerprint(), method, target, arguments);
    }

    private Object evaluate(Expression expression, IdempotentMethod method, Object target, Object[] arguments) {
        Method invoked = method.method();
        EvaluationContext context = new MethodBasedEvaluationContext(
                new Root(invoked, arguments, target), invoked, arguments, PARAMETER_NAMES);
        try {
            return expression.getValue(context);
        } catch (EvaluationException ex) {
            throw new IllegalArgumentException(
                    "@Idempotent expression \"" + expression.getExpressionString() + "\" of " + method.name()
                            + " could not be evaluated: " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * The root object of the expressions: {@code #root.method}, {@code #root.args}, {@code #root.target}.
     *
     * @param method the method called
     * @param args the call's arguments
     * @param target the bean called
     */
    record Root(Method method, Object[] args, Object target) {}
}
