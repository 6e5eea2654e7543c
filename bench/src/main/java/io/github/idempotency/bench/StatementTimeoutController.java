package io.github.idempotency.bench;

import io.github.idempotency.autoconfigure.IdempotencyProperties;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import java.time.Duration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Turns the JDBC store's statement timeout off and on again while the application runs
 * ({@code POST /bench/statement-timeout?enabled=false}), so that {@code bench/run.sh} can measure what it
 * costs in the same warmed-up JVM: pgjdbc schedules and cancels a timer task for every statement that has
 * one.
 */
@RestController
public class StatementTimeoutController {

    private final JdbcIdempotencyStore store;

    private final Duration configured;

    StatementTimeoutController(JdbcIdempotencyStore store, IdempotencyProperties properties) {
        this.store = store;
        this.configured = properties.getStore().getTimeout();
    }

    /**
     * Sets the store's statement timeout to {@code idempotency.store.timeout}, or to none.
     * @param enabled whether statements get the timeout
     * @return the timeout now in force
     */
    @PostMapping("/bench/statement-timeout")
    public String statementTimeout(@RequestParam boolean enabled) {
        Duration timeout = enabled ? this.configured : Duration.ZERO;
        this.store.setQueryTimeout(timeout);
        return "statement_timeout=" + timeout + "\n";
    }
}
