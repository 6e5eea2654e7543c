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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    @Test
    void renewalRefusedBecauseTheOperationEndedMeanwhileIsNotReportedAsALostClaim(CapturedOutput output)
            throws Exception {
        CountDownLatch renewing = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        LeaseRenewer.Renewal renewal = start(new EndingStore(renewing, ended), "order-1");
        assertThat(renewing.await(10, TimeUnit.SECONDS)).isTrue();

        // The operation ends while its renewal runs: the execution stops renewing, then completes the key,
        // which is why the store refuses the renewal.
        renewal.cancel();
        ended.countDown();
        // The renewer has one thread: a later renewal runs once the refused one has finished.
        CountDownLatch next = new CountDownLatch(1);
        LeaseRenewer.Renewal later = start(new EndingStore(next, new CountDownLatch(0)), "order-2");
        assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
        later.cancel();

        assertThat(output.getOut()).doesNotContain("Lost the claim on idempotency key 'order-1'");
    }

    @Test
    void renewalRefusedWhileRenewingContinuesIsReportedAsALostClaim(CapturedOutput output) throws Exception {
        CountDownLatch renewing = new CountDownLatch(1);
        start(new EndingStore(renewing, new CountDownLatch(0)), "order-3");
        assertThat(renewing.await(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> output.getOut().contains("Lost the claim on idempotency key 'order-3'"));
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

    /** A store that refuses every renewal, as it does once the key was completed or taken over. */
    private static final class EndingStore extends OutageStore {

        private final CountDownLatch renewing;

        private final CountDownLatch ended;

        EndingStore(CountDownLatch renewing, CountDownLatch ended) {
            super(0);
            this.renewing = renewing;
            this.ended = ended;
        }

        @Override
        public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
            this.renewing.countDown();
            try {
                this.ended.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** A store whose first renewals fail as if it could not be reached, and whose later ones succeed. */
    private static class OutageStore implements IdempotencyStore {

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
