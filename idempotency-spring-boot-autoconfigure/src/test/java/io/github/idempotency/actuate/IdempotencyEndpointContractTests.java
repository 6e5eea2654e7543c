package io.github.idempotency.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.actuate.IdempotencyEndpoint.RecordDescriptor;
import io.github.idempotency.web.DefaultIdempotencyScopeResolver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The {@link IdempotencyEndpoint}'s lookup and deletion against a real store, addressed as an operator
 * knows a request: the caller, method and path of an HTTP request (scoped as the web front door scopes
 * it), or the raw scope of an idempotent method. Subclassed per store.
 */
public abstract class IdempotencyEndpointContractTests {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private static final Duration TTL = Duration.ofHours(1);

    private static final StoredResponse CREATED = new StoredResponse(
            201,
            List.of(
                    new StoredResponse.Header("Content-Type", "application/json"),
                    new StoredResponse.Header("Location", "/payments/p-1")),
            "{\"id\":\"p-1\",\"card\":\"4242\"}".getBytes(StandardCharsets.UTF_8),
            false);

    private IdempotencyStore store;

    /**
     * Creates the store under test; every store of a test shares its records.
     * @param expiredLeasePolicy what the store does with an expired lease
     * @return the store
     */
    protected abstract IdempotencyStore createStore(ExpiredLeasePolicy expiredLeasePolicy);

    private IdempotencyStore store() {
        if (this.store == null) {
            this.store = createStore(ExpiredLeasePolicy.TAKE_OVER);
        }
        return this.store;
    }

    private IdempotencyEndpoint endpoint() {
        return new IdempotencyEndpoint(store(), IdempotencyScope.USER_AND_ENDPOINT);
    }

    @Test
    void recordWhenCompletedThenDescribesItByUserMethodAndPathWithoutItsBody() {
        String key = newKey();
        IdempotencyKey address = new IdempotencyKey(scopeOfRequest("alice", "POST", "/payments"), key);
        complete(address);

        RecordDescriptor record = endpoint().record(key, null, "alice", "POST", "/payments", null);

        assertThat(record).isNotNull();
        assertThat(record.scope()).isEqualTo("user:alice POST /payments");
        assertThat(record.state()).isEqualTo("completed");
        assertThat(record.expiresAt()).isNotNull();
        assertThat(record.leaseExpiresAt()).isNull();
        assertThat(record.response().status()).isEqualTo(201);
        assertThat(record.response().bodySize()).isEqualTo(CREATED.body().length);
        assertThat(record.response().headerNames()).containsExactly("Content-Type", "Location");
        assertThat(record.toString()).doesNotContain("4242").doesNotContain("/payments/p-1");
    }

    @Test
    void recordWhenInProgressThenDescribesItsLease() {
        String key = newKey();
        store().claim(new IdempotencyKey(scopeOfRequest("bob", "PATCH", "/payments/p-2"), key), "f", LEASE);

        RecordDescriptor record = endpoint().record(key, null, "bob", "patch", "/payments/p-2", null);

        assertThat(record).isNotNull();
        assertThat(record.state()).isEqualTo("in_progress");
        assertThat(record.leaseExpiresAt()).isNotNull();
        assertThat(record.response()).isNull();
    }

    @Test
    void recordWhenAbsentThenReturnsNull() {
        assertThat(endpoint().record(newKey(), null, "alice", "POST", "/payments", null))
                .isNull();
    }

    @Test
    void recordWhenAnotherUsersKeyThenReturnsNull() {
        String key = newKey();
        complete(new IdempotencyKey(scopeOfRequest("alice", "POST", "/payments"), key));

        assertThat(endpoint().record(key, null, "bob", "POST", "/payments", null))
                .isNull();
    }

    @Test
    void recordWhenMethodKeyThenFindsItByRawScope() {
        String key = "evt_" + UUID.randomUUID();
        String scope = "method:com.example.LedgerConsumer#onPaymentSucceeded(PaymentSucceeded)";
        complete(new IdempotencyKey(scope, key));

        RecordDescriptor record = endpoint().record(key, scope, null, null, null, null);

        assertThat(record).isNotNull();
        assertThat(record.scope()).isEqualTo(scope);
    }

    @Test
    void recordWhenScopeTypeGivenThenScopesAsTheEndpointDoes() {
        String key = newKey();
        complete(new IdempotencyKey(
                DefaultIdempotencyScopeResolver.scope(IdempotencyScope.ENDPOINT, null, "POST", "/webhooks"), key));

        assertThat(endpoint().record(key, null, null, "POST", "/webhooks", IdempotencyScope.ENDPOINT))
                .isNotNull();
    }

    @Test
    void recordWhenAddressIsIncompleteOrAmbiguousThenRefusesIt() {
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint().record("k", null, "alice", null, "/payments", null));
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint().record("k", "method:x", "alice", "POST", "/payments", null));
    }

    @Test
    void deleteWhenCompletedThenRetryClaimsAgain() {
        String key = newKey();
        IdempotencyKey address = new IdempotencyKey(scopeOfRequest("alice", "POST", "/payments"), key);
        complete(address);

        assertThat(endpoint().delete(key, null, "alice", "POST", "/payments", null))
                .isTrue();

        assertThat(endpoint().record(key, null, "alice", "POST", "/payments", null))
                .isNull();
        assertThat(store().claim(address, "f", LEASE)).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    void deleteWhenBlockedClaimThenRetryClaimsAgain() {
        IdempotencyStore blocking = createStore(ExpiredLeasePolicy.BLOCK);
        String key = newKey();
        IdempotencyKey address = new IdempotencyKey(scopeOfRequest("alice", "POST", "/payments"), key);
        blocking.claim(address, "f", LEASE);
        assertThat(blocking.claim(address, "f", LEASE)).isInstanceOf(ClaimResult.InProgress.class);

        IdempotencyEndpoint endpoint = new IdempotencyEndpoint(blocking, IdempotencyScope.USER_AND_ENDPOINT);
        assertThat(endpoint.delete(key, null, "alice", "POST", "/payments", null))
                .isTrue();

        assertThat(blocking.claim(address, "f", LEASE)).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    void deleteWhenAbsentThenReturnsFalse() {
        assertThat(endpoint().delete(newKey(), null, "alice", "POST", "/payments", null))
                .isFalse();
    }

    private void complete(IdempotencyKey address) {
        ClaimResult claim = store().claim(address, "f", LEASE);
        assertThat(claim).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(store().complete(address, ((ClaimResult.Claimed) claim).token(), CREATED, TTL))
                .isTrue();
    }

    /**
     * Returns the scope the web front door gives a request, from a request as the servlet container sees it.
     */
    private static String scopeOfRequest(String user, String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setUserPrincipal(() -> user);
        return new DefaultIdempotencyScopeResolver().resolveScope(request, IdempotencyScope.USER_AND_ENDPOINT);
    }

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }
}
