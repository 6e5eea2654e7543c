/**
 * The engine that both front doors share: it claims a key in the {@link io.github.idempotency.IdempotencyStore},
 * keeps a running operation's lease alive, fences every later write with the claim's token, joins or begins
 * the database transaction of the transactional modes, and completes or releases the claim. The servlet
 * front door ({@code web}) and the bean-method front door ({@code aop}) depend on it; it depends on neither.
 */
package io.github.idempotency.engine;
