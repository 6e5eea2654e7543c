package io.github.idempotency.web;

import io.github.idempotency.engine.Execution;
import java.util.Set;

/**
 * A request that claimed its key and must, whatever happens, end its {@link Execution} by completing or
 * abandoning it. Kept in a request attribute from the interceptor's claim to the moment the response is
 * recorded.
 */
final class IdempotentExchange {

    static final String ATTRIBUTE = IdempotentExchange.class.getName();

    private final Execution execution;

    private Throwable handledException;

    private Set<String> headerNamesBeforeError = Set.of();

    IdempotentExchange(Execution execution) {
        this.execution = execution;
    }

    Execution getExecution() {
        return this.execution;
    }

    /**
     * Returns whether the claim is held by a transaction, which a response written outside the handler (an
     * error page) can no longer join.
     */
    boolean isTransactional() {
        return this.execution.isTransactional();
    }

    Throwable getHandledException() {
        return this.handledException;
    }

    void setHandledException(Throwable handledException) {
        this.handledException = handledException;
    }

    /**
     * Returns the names of the headers the handler (or an exception resolver) set before it sent an error:
     * the container keeps them on the error page, and they are recorded with it.
     */
    Set<String> getHeaderNamesBeforeError() {
        return this.headerNamesBeforeError;
    }

    void setHeaderNamesBeforeError(Set<String> names) {
        this.headerNamesBeforeError = Set.copyOf(names);
    }

    boolean isFinished() {
        return this.execution.isFinished();
    }
}
