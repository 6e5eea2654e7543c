package io.github.idempotency.engine;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.springframework.util.ClassUtils;

/**
 * Recognises return types whose value is not complete when the method returns (futures, reactive publishers,
 * and what a front door adds), so that nothing can be recorded for a later call to get back. Both front doors
 * refuse such methods at startup.
 */
public final class IncompleteReturnTypes {

    private static final List<Class<?>> ASYNCHRONOUS = List.of(CompletionStage.class, Future.class);

    // Named, not referenced: Reactive Streams is not on every application's classpath.
    private static final String PUBLISHER = "org.reactivestreams.Publisher";

    private IncompleteReturnTypes() {}

    /**
     * Returns the type that makes a return type incomplete, or {@code null} if its value is complete.
     * @param type the declared return type
     * @param alsoIncomplete types the front door knows to be incomplete as well, such as streams
     * @return the first of the asynchronous types, of {@code alsoIncomplete} or Reactive Streams'
     * {@code Publisher} that {@code type} is assignable to, or {@code null}
     */
    public static Class<?> find(Class<?> type, List<Class<?>> alsoIncomplete) {
        for (List<Class<?>> types : List.of(alsoIncomplete, ASYNCHRONOUS)) {
            for (Class<?> incomplete : types) {
                if (incomplete.isAssignableFrom(type)) {
                    return incomplete;
                }
            }
        }
        for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if (PUBLISHER.equals(candidate.getName())) {
                return candidate;
            }
        }
        return null;
    }
}
