package io.github.idempotency.autoconfigure;

import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link JdbcIdempotencySchemaException} into Spring Boot's "APPLICATION FAILED TO START" report:
 * what is wrong with the JDBC store's table, and the script to apply.
 */
class JdbcIdempotencySchemaFailureAnalyzer extends AbstractFailureAnalyzer<JdbcIdempotencySchemaException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, JdbcIdempotencySchemaException cause) {
        return new FailureAnalysis(cause.getProblem(), cause.getRemedy(), cause);
    }
}
