package io.github.idempotency.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the lease renewer logs when the store cannot renew: an outage's failures, however many operations
 * are running, go to one outage log.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeaseRenewerTests {

    private static final String SUBJECT = "Renewing the leases of running idempotent operations";

    private final LeaseRenewer renewer = new LeaseRenewer();

    @AfterEach
    void stopRenewer() {
        this.renewer.destroy();
    }

    @Test
    void renewWhenStoreFailsForAWhileThenOneWarningWithItsStackAndOneLineWhenItIsBack(CapturedOutput output) {
        OutageStore store = new OutageStore(6);
        // A 20 ms lease is renewed every 10 ms: three operations fail six renewals within a few periods.
        List<LeaseRenewer.Renewal> renewals =
                List.of(start(store, "order-1"), start(store, "order-2"), start(store, "order-3"));

        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains(SUBJECT + " is back"));
        renewals.forEach(LeaseRenewer.Renewal::cancel);

        String log = output.getOut();
        assertThat(occurrences(log, SUBJECT + " is failing: ")).isEqualTo(1);
        assertThat(occurrences(log, "\tat ")).isPositive();
        assertThat(occurrences(log, "Exception: store down (test)\n")).isEqualTo(1);
        assertThat(log).doesNotContain(SUBJECT + " is still failing");
        assertThat(log).contains(SUBJECT + " is back after 6 failures over ");
        assertThat(log).doesNotContain("Lost the claim");
    }

    private LeaseRenewer.Renewal start(IdempotencyStore store, String key) {
        return this.renewer.start(store, new IdempotencyKey("alice", key), ClaimToken.random(), Duration.ofMillis(20));
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    /** A store whose first renewals fail as if it could not be reached, and whose later ones succeed. */
    private static final class OutageStore implements IdempotencyStore {

        private final int failures;

        private final AtomicInteger renewals = new AtomicInteger();

        OutageStore(int failures) {
            this.failures = failures;
        }

        @Override
        public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
            if (this.renewals.incrementAndGet() <= this.failures) {
                throw new IdempotencyStoreException("store down (test)");
            }
            return true;
        }

        @Override
        public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean release(IdempotencyKey key, ClaimToken token) {
            throw new UnsupportedOperationException();
        }
    }
}
