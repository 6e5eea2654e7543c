/**
 * The engine that both front doors share: it claims a key in the {@link io.github.idempotency.IdempotencyStore},
 * keeps a running operation's lease alive, fences every later write with the claim's token, joins or begins
 * the database transaction of the transactional modes, and completes or releases the claim. The servlet
 * front door ({@code web}) and the bean-method front door ({@code aop}) depend on it; it depends on neither.
 * It also observes every call the same way for both ({@code idempotency.operation} and
 * {@code idempotency.store} observations, the key in the MDC); a front door reports the calls it refuses
 * itself through {@link io.github.idempotency.engine.IdempotencyEngine#reject}.
 */
package io.github.idempotency.engine;
