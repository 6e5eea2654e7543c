package io.github.idempotency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a Spring MVC handler method safe to retry: the first request carrying an
 * {@code Idempotency-Key} runs the method and its response is recorded; every retry with the same key,
 * from the same caller, to the same endpoint, with the same request gets the recorded response back
 * without running the method again.
 *
 * <p>Applies to {@code POST} and {@code PATCH}, and to {@code PUT} and {@code DELETE} handlers; safe
 * methods ({@code GET}, {@code HEAD}, {@code OPTIONS}, {@code TRACE}) are never intercepted. On a type, it
 * applies to every handler method of the controller. Attributes left at their defaults take the
 * {@code idempotency.*} properties.
 *
 * @see IdempotencyStore
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

    /**
     * Whether a request without a key is rejected with {@code 400 Bad Request}. When {@code false}, a
     * request without a key runs the handler unprotected.
     * @return whether the key is required
     */
    boolean required() default true;

    /**
     * How long a completed response is replayed, for example {@code "30m"} or {@code "PT2H"}. Empty takes
     * {@code idempotency.ttl}.
     * @return the time to live of the recorded response
     */
    String ttl() default "";

    /**
     * What a key is scoped to. {@link IdempotencyScope#DEFAULT} takes {@code idempotency.scope}.
     * @return the scope of the key
     */
    IdempotencyScope scope() default IdempotencyScope.DEFAULT;

    /**
     * Whether the claim, the handler's transactional work and the recorded response run in one database
     * transaction (the JDBC store's transactional mode), so that a crash or a rollback leaves all of them or
     * none. {@code idempotency.jdbc.transactional=true} makes every idempotent endpoint transactional.
     * Requires the JDBC store on the database the handler's transactions use; startup fails otherwise.
     * @return whether the endpoint is transactional
     */
    boolean transactional() default false;
}
