package io.github.idempotency.engine;

import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

/**
 * Puts the key of the running call into SLF4J's MDC as {@value IdempotencyEngine#MDC_KEY}, so that every
 * line the operation logs carries it; does nothing where SLF4J is absent.
 */
final class KeyLogContext {

    private static final boolean MDC_PRESENT =
            ClassUtils.isPresent("org.slf4j.MDC", KeyLogContext.class.getClassLoader());

    private KeyLogContext() {}

    /**
     * Puts a key into the MDC.
     * @return the value it replaced, for {@link #restore}: an idempotent method called by an idempotent
     * handler has a key of its own while it runs, and the handler's key again afterwards
     */
    static String put(String key) {
        if (!MDC_PRESENT) {
            return null;
        }
        String previous = MDC.get(IdempotencyEngine.MDC_KEY);
        MDC.put(IdempotencyEngine.MDC_KEY, key);
        return previous;
    }

    /**
     * Puts back what {@link #put} replaced, unless the MDC no longer holds {@code key}: executions that end
     * after their call returned (at the commit of a caller's transaction) must not put back a key that a
     * later call replaced meanwhile.
     */
    static void restore(String key, String previous) {
        if (!MDC_PRESENT || !key.equals(MDC.get(IdempotencyEngine.MDC_KEY))) {
            return;
        }
        if (previous != null) {
            MDC.put(IdempotencyEngine.MDC_KEY, previous);
        } else {
            MDC.remove(IdempotencyEngine.MDC_KEY);
        }
    }
}
