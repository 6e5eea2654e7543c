package io.github.idempotency.actuate;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredRecord;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.web.DefaultIdempotencyScopeResolver;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The {@code idempotency} actuator endpoint: looks up one record (its state, times, and the recorded
 * response's status and size, never its body or header values) and deletes one, the way out of a key that
 * {@link ExpiredLeasePolicy#BLOCK} keeps blocked.
 *
 * <p>A record is addressed the way an operator knows the request: by {@code key} and
 * <ul>
 * <li>for an HTTP key, {@code user} (the principal's name; none for an anonymous caller), {@code method}
 * and {@code path} (within the application, without its context path), scoped as {@code idempotency.scope}
 * says unless {@code scopeType} names the endpoint's own {@code @Idempotent(scope)};</li>
 * <li>for a method key, or any scope an application resolves itself, the raw {@code scope}, such as
 * {@code method:com.example.LedgerConsumer#onPaymentSucceeded(PaymentSucceeded)}.</li>
 * </ul>
 */
@Endpoint(id = "idempotency")
public class IdempotencyEndpoint {

    private final IdempotencyStore store;

    private final IdempotencyScope defaultScope;

    /**
     * Creates the endpoint.
     * @param store the store holding the records
     * @param defaultScope the application's scope of HTTP keys ({@code idempotency.scope})
     */
    public IdempotencyEndpoint(IdempotencyStore store, IdempotencyScope defaultScope) {
        Assert.notNull(store, "'store' must not be null");
        Assert.isTrue(
                defaultScope != null && defaultScope != IdempotencyScope.DEFAULT,
                "'defaultScope' must be a concrete scope");
        this.store = store;
        this.defaultScope = defaultScope;
    }

    /**
     * Describes the record at an address.
     * @param key the idempotency key
     * @param scope the raw scope, instead of {@code user}, {@code method} and {@code path}
     * @param user the HTTP caller's name; none for an anonymous caller
     * @param method the HTTP method, such as {@code POST}
     * @param path the request path within the application, such as {@code /payments}
     * @param scopeType what the HTTP key is scoped to, when not {@code idempotency.scope}
     * @return the record, or {@code null} when there is none
     */
    @ReadOperation
    public @Nullable RecordDescriptor record(
            String key,
            @Nullable String scope,
            @Nullable String user,
            @Nullable String method,
            @Nullable String path,
            @Nullable IdempotencyScope scopeType) {
        IdempotencyKey address = address(key, scope, user, method, path, scopeType);
        return this.store.find(address).map((found) -> describe(address, found)).orElse(null);
    }

    /**
     * Deletes the record at an address, whatever its state: a retry with its key then runs the operation
     * again.
     * @param key the idempotency key
     * @param scope the raw scope, instead of {@code user}, {@code method} and {@code path}
     * @param user the HTTP caller's name; none for an anonymous caller
     * @param method the HTTP method, such as {@code POST}
     * @param path the request path within the application, such as {@code /payments}
     * @param scopeType what the HTTP key is scoped to, when not {@code idempotency.scope}
     * @return whether a record was deleted
     */
    @DeleteOperation
    public boolean delete(
            String key,
            @Nullable String scope,
            @Nullable String user,
            @Nullable String method,
            @Nullable String path,
            @Nullable IdempotencyScope scopeType) {
        return this.store.delete(address(key, scope, user, method, path, scopeType));
    }

    private IdempotencyKey address(
            String key,
            @Nullable String scope,
            @Nullable String user,
            @Nullable String method,
            @Nullable String path,
            @Nullable IdempotencyScope scopeType) {
        if (!StringUtils.hasLength(key)) {
            throw new InvalidEndpointRequestException("'key' must not be empty", "Missing key");
        }
        if (scope != null) {
            if (user != null || method != null || path != null || scopeType != null) {
                throw invalid("give either 'scope', or 'user', 'method', 'path' and 'scopeType', not both");
            }
            return new IdempotencyKey(scope, key);
        }
        IdempotencyScope type =
                (scopeType != null && scopeType != IdempotencyScope.DEFAULT) ? scopeType : this.defaultScope;
        boolean needsEndpoint = type == IdempotencyScope.USER_AND_ENDPOINT || type == IdempotencyScope.ENDPOINT;
        if (needsEndpoint && (!StringUtils.hasText(method) || !StringUtils.hasText(path))) {
            throw invalid("'method' and 'path' are required for a key scoped " + type
                    + " (or give the raw 'scope', such as 'method:...' for an idempotent method)");
        }
        String methodName = needsEndpoint ? method.toUpperCase(Locale.ROOT) : null;
        return new IdempotencyKey(DefaultIdempotencyScopeResolver.scope(type, user, methodName, path), key);
    }

    private static InvalidEndpointRequestException invalid(String reason) {
        return new InvalidEndpointRequestException("Invalid address of an idempotency record: " + reason, reason);
    }

    private static RecordDescriptor describe(IdempotencyKey address, StoredRecord found) {
        StoredResponse response = found.response();
        return new RecordDescriptor(
                address.scope(),
                address.key(),
                (found.state() == StoredRecord.State.IN_PROGRESS) ? "in_progress" : "completed",
                found.createdAt(),
                found.leaseExpiresAt(),
                found.expiresAt(),
                (response != null) ? ResponseDescriptor.of(response) : null);
    }

    /**
     * A record as the endpoint shows it.
     *
     * @param scope the record's scope
     * @param key the idempotency key
     * @param state {@code in_progress} or {@code completed}
     * @param createdAt when the key was claimed, {@code null} when the store does not keep it
     * @param leaseExpiresAt for an in-progress record, when its lease ends (in the past for a claim whose
     * request stopped without finishing)
     * @param expiresAt for a completed record, when its response stops being replayed
     * @param response for a completed record, what was recorded
     */
    public record RecordDescriptor(
            String scope,
            String key,
            String state,
            @Nullable Instant createdAt,
            @Nullable Instant leaseExpiresAt,
            @Nullable Instant expiresAt,
            @Nullable ResponseDescriptor response) {}

    /**
     * A recorded response, without its body or header values, which may hold personal data.
     *
     * @param status the recorded status code
     * @param bodySize the recorded body's size in bytes
     * @param bodyOmitted whether the body was too large to record, so that retries get the status alone
     * @param headerNames the names of the recorded headers, in their recorded order
     */
    public record ResponseDescriptor(int status, int bodySize, boolean bodyOmitted, List<String> headerNames) {

        static ResponseDescriptor of(StoredResponse response) {
            return new ResponseDescriptor(
                    response.status(),
                    response.body().length,
                    response.bodyOmitted(),
                    response.headers().stream().map(StoredResponse.Header::name).toList());
        }
    }
}
