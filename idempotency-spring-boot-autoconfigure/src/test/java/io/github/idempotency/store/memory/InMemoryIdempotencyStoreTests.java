package io.github.idempotency.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idempotency.ClaimResult.Claimed;
import io.github.idempotency.ClaimResult.Completed;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.store.IdempotencyStoreContractTests;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link IdempotencyStoreContractTests} for {@link InMemoryIdempotencyStore}, plus its bound on size.
 */
class InMemoryIdempotencyStoreTests extends IdempotencyStoreContractTests {

    @Override
    protected IdempotencyStore createStore(Clock clock, ExpiredLeasePolicy expiredLeasePolicy) {
        // Records live in the store itself; the contract's BLOCK tests use only the store they create.
        return new InMemoryIdempotencyStore(clock, expiredLeasePolicy, 10_000);
    }

    @Test
    void claimWhenFullOfLiveRecordsThenRefusesNewKey() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        store.claim(newKey(), FINGERPRINT, LEASE);
        store.claim(newKey(), FINGERPRINT, LEASE);

        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> store.claim(newKey(), FINGERPRINT, LEASE))
                .withMessageContaining("full")
                .withMessageContaining("idempotency.memory.max-entries");
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void claimWhenFullThenStillAnswersKeysItHolds() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey completed = newKey();
        store.complete(completed, token(store.claim(completed, FINGERPRINT, LEASE)), paymentCreated("b"), TTL);
        IdempotencyKey inProgress = newKey();
        store.claim(inProgress, FINGERPRINT, LEASE);

        assertThat(store.claim(completed, FINGERPRINT, LEASE)).isInstanceOf(Completed.class);
        assertInProgress(store.claim(inProgress, FINGERPRINT, LEASE), LEASE);
    }

    @Test
    void claimWhenFullWithExpiredRecordsThenDropsThemAndClaims() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.TAKE_OVER, 2);
        IdempotencyKey completed = newKey();
        store.complete(completed, token(store.claim(completed, FINGERPRINT, LEASE)), paymentCreated("a"), TTL);
        clock().advance(Duration.ofSeconds(10));
        IdempotencyKey live = newKey();
        store.claim(live, FINGERPRINT, LEASE);
        clock().advance(TTL);

        // The completed record's time to live and the claim's lease have both passed.
        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(Claimed.class);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void claimWhenFullOfExpiredLeasesUnderBlockThenKeepsThemAndRefuses() {
        InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(clock(), ExpiredLeasePolicy.BLOCK, 1);
        IdempotencyKey abandoned = newKey();
        store.claim(abandoned, FINGERPRINT, LEASE);
        clock().advance(TTL);

        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(() -> store.claim(newKey(), FINGERPRINT, LEASE));
        assertInProgress(store.claim(abandoned, FINGERPRINT, LEASE), Duration.ZERO);
    }
}
