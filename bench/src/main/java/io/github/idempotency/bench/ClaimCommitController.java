package io.github.idempotency.bench;

import io.github.idempotency.store.jdbc.ClaimCommit;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Switches the JDBC store's {@code idempotency.jdbc.claim-commit} while the application runs
 * ({@code POST /bench/claim-commit?mode=ASYNC}), so that {@code bench/run.sh} measures one flush per first
 * request against two in the same warmed-up JVM.
 */
@RestController
public class ClaimCommitController {

    private final JdbcIdempotencyStore store;

    ClaimCommitController(JdbcIdempotencyStore store) {
        this.store = store;
    }

    /**
     * Sets how new claims commit.
     * @param mode {@code SYNC} or {@code ASYNC}
     * @return the mode now in force
     */
    @PostMapping("/bench/claim-commit")
    public String claimCommit(@RequestParam ClaimCommit mode) {
        this.store.setClaimCommit(mode);
        return "claim_commit=" + mode + "\n";
    }
}
