package io.github.idempotency.testsupport;

import java.util.Map;

/**
 * One place the tests may find a service: environment variables, a server on its usual local port, a
 * container, a server the tests start themselves. {@link TestServiceResolver} tries them in order.
 *
 * @param <T> how to reach the service
 */
@FunctionalInterface
public interface ServiceSource<T> {

    /**
     * Provides the service, or says why this source cannot.
     * @return how to reach the service
     * @throws SourceUnavailableException when this source provides nothing, saying why
     */
    T provide() throws SourceUnavailableException;

    /**
     * Returns this source, or one that provides nothing when an environment variable switches it off.
     * @param environment the environment variables
     * @param variable the variable that switches this source off when it is {@code false}
     * @return the source, guarded by the variable
     */
    default ServiceSource<T> unlessSwitchedOff(Map<String, String> environment, String variable) {
        return () -> {
            if ("false".equalsIgnoreCase(environment.get(variable))) {
                throw new SourceUnavailableException("switched off by " + variable + "=false");
            }
            return provide();
        };
    }

    /**
     * Returns the value of an environment variable that names a service.
     * @param environment the environment variables
     * @param variable the variable
     * @return its value, not blank
     * @throws SourceUnavailableException when the variable is not set or blank
     */
    static String requireVariable(Map<String, String> environment, String variable) throws SourceUnavailableException {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new SourceUnavailableException("not set");
        }
        return value;
    }
}
