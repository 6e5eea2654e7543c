package io.github.idempotency.actuate;

import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.IdempotencyStoreException;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@link IdempotencyEndpoint} over HTTP: {@code 404} when there is no such record, {@code 204} when one
 * was deleted, {@code 400} with what is wrong with an incomplete address, and {@code 503} with the store's
 * failure when the store cannot answer.
 */
@EndpointWebExtension(endpoint = IdempotencyEndpoint.class)
public class IdempotencyEndpointWebExtension {

    private final IdempotencyEndpoint endpoint;

    /**
     * Creates the extension.
     * @param endpoint the endpoint it answers for
     */
    public IdempotencyEndpointWebExtension(IdempotencyEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Describes the record at an address, see {@link IdempotencyEndpoint#record}.
     * @param key the idempotency key
     * @param scope the raw scope, instead of {@code user}, {@code method} and {@code path}
     * @param user the HTTP caller's name; none for an anonymous caller
     * @param method the HTTP method, such as {@code POST}
     * @param path the request path within the application, such as {@code /payments}
     * @param scopeType what the HTTP key is scoped to, when not {@code idempotency.scope}
     * @return the record, or {@code 404}
     */
    @ReadOperation
    public WebEndpointResponse<Object> record(
            String key,
            @Nullable String scope,
            @Nullable String user,
            @Nullable String method,
            @Nullable String path,
            @Nullable IdempotencyScope scopeType) {
        return answer(() -> {
            Object record = this.endpoint.record(key, scope, user, method, path, scopeType);
            return (record != null)
                    ? new WebEndpointResponse<>(record)
                    : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        });
    }

    /**
     * Deletes the record at an address, see {@link IdempotencyEndpoint#delete}.
     * @param key the idempotency key
     * @param scope the raw scope, instead of {@code user}, {@code method} and {@code path}
     * @param user the HTTP caller's name; none for an anonymous caller
     * @param method the HTTP method, such as {@code POST}
     * @param path the request path within the application, such as {@code /payments}
     * @param scopeType what the HTTP key is scoped to, when not {@code idempotency.scope}
     * @return {@code 204} when a record was deleted, {@code 404} when there was none
     */
    @DeleteOperation
    public WebEndpointResponse<Object> delete(
            String key,
            @Nullable String scope,
            @Nullable String user,
            @Nullable String method,
            @Nullable String path,
            @Nullable IdempotencyScope scopeType) {
        return answer(() -> new WebEndpointResponse<>(
                this.endpoint.delete(key, scope, user, method, path, scopeType)
                        ? WebEndpointResponse.STATUS_NO_CONTENT
                        : WebEndpointResponse.STATUS_NOT_FOUND));
    }

    private static WebEndpointResponse<Object> answer(Supplier<WebEndpointResponse<Object>> operation) {
        try {
            return operation.get();
        } catch (InvalidEndpointRequestException ex) {
            // Thrown on, it would reach the client as a bare 400 without the reason.
            return new WebEndpointResponse<>(Map.of("error", ex.getMessage()), WebEndpointResponse.STATUS_BAD_REQUEST);
        } catch (IdempotencyStoreException ex) {
            return new WebEndpointResponse<>(
                    Map.of("error", "The idempotency store cannot answer: " + ex.getMessage()),
                    WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
        }
    }
}
