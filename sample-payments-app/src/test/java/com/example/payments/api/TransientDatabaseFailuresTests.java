package com.example.payments.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures {@link TransientDatabaseFailures} calls passing, however deep they are wrapped.
 */
class TransientDatabaseFailuresTests {

    @Test
    void poolTimeoutInsideTransactionBeginIsTransient() {
        Exception failure = new CannotCreateTransactionException(
                "Could not open JPA EntityManager for transaction",
                new RuntimeException(new SQLTransientConnectionException("Connection is not available")));

        assertThat(TransientDatabaseFailures.isTransient(failure)).isTrue();
    }

    @Test
    void refusedConnectionIsTransient() {
        Exception failure = new IllegalStateException(
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", new SQLException("refused")));
        Exception bySqlState = new RuntimeException(new SQLException("Connection refused", "08001"));

        assertThat(TransientDatabaseFailures.isTransient(failure)).isTrue();
        assertThat(TransientDatabaseFailures.isTransient(bySqlState)).isTrue();
    }

    @Test
    void bugsAndConstraintViolationsAreNot() {
        assertThat(TransientDatabaseFailures.isTransient(new NullPointerException()))
                .isFalse();
        assertThat(TransientDatabaseFailures.isTransient(new DataIntegrityViolationException("duplicate")))
                .isFalse();
    }
}
