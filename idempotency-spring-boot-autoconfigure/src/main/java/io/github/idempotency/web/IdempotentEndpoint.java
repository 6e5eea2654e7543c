package io.github.idempotency.web;

import io.github.idempotency.IdempotencyScope;
import java.time.Duration;

/**
 * The effective settings of one idempotent handler method: its annotation's attributes with the
 * application's settings filled in.
 *
 * @param name the handler method's short description, such as {@code PaymentController#create(NewPayment)}
 * @param required whether a request without a key is rejected
 * @param ttl how long its completed responses are replayed
 * @param scope what its keys are scoped to
 * @param transactional whether it runs in the store's transactional mode
 * @param keyExpression derives the key from the request, {@code null} when it comes from elsewhere
 * @param keyFromPayload whether the key is the request's fingerprint
 */
record IdempotentEndpoint(
        String name,
        boolean required,
        Duration ttl,
        IdempotencyScope scope,
        boolean transactional,
        RequestKeyExpression keyExpression,
        boolean keyFromPayload) {

    /**
     * Returns whether the client sends the key in the key header.
     */
    boolean keyFromHeader() {
        return this.keyExpression == null && !this.keyFromPayload;
    }
}
