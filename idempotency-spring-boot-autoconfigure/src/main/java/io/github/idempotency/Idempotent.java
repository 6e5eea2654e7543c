package io.github.idempotency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method safe to call again with the same key: the first call runs it and records its outcome;
 * every later call with the same key gets the recorded outcome back without running it again.
 *
 * <p><b>On a Spring MVC handler method</b> the key comes from the {@code Idempotency-Key} request header, and
 * the recorded outcome is the response: every retry with the same key, from the same caller, to the same
 * endpoint, with the same request gets the recorded status, headers and body back. It applies to
 * {@code POST} and {@code PATCH}, and to {@code PUT} and {@code DELETE} handlers; safe methods ({@code GET},
 * {@code HEAD}, {@code OPTIONS}, {@code TRACE}) are never intercepted. On a controller type, it applies to
 * every handler method of the controller. The server can derive the key from the request instead, for callers
 * that send no header (a webhook): by the {@link #key()} expression over the request, for example
 * {@code @Idempotent(key = "#body['id']")}, or from the whole request with
 * {@code keySource = KeySource.PAYLOAD}.
 *
 * <p><b>On any other Spring bean method</b> (a message listener, a scheduled job, a service called by a
 * relay) the key is the {@link #key()} expression over the method's arguments, for example
 * {@code @Idempotent(key = "#event.id")}, and the recorded outcome is the return value, kept as JSON and
 * returned to later calls with the same key. Exceptions are never recorded: they release the key and
 * propagate, so a redelivery runs the method again.
 *
 * <p>Attributes left at their defaults take the {@code idempotency.*} properties.
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

    /**
     * SpEL expression that gives the key. On a bean method that is not an MVC handler it is required and
     * evaluates against the method's arguments: by name ({@code #event}, where compiled with
     * {@code -parameters}) or by position ({@code #p0}, {@code #a0}); a {@code null} or blank value at call
     * time is rejected with an {@link IllegalArgumentException}, since a message without an id cannot be
     * de-duplicated.
     *
     * <p>On an MVC handler it replaces the key header and evaluates against the request: {@code #body} (the
     * JSON body as maps, lists, texts, numbers and booleans: {@code #body['id']}, {@code #body.data.id}),
     * {@code #headers} (first values, names case-insensitive: {@code #headers['X-Delivery-Id']}),
     * {@code #pathVariables} and {@code #query} (first values). A missing or {@code null} value answers
     * {@code 400} (unless {@link #required()} is {@code false}), as does a value that is blank, too long or not
     * a text or number. Empty takes the key from the header.
     * @return the key expression
     */
    String key() default "";

    /**
     * Name of the operation's key space on a bean method. Methods with the same name share their keys and
     * recorded outcomes; empty gives each method its own, named after its declaring class and signature.
     * @return the shared name, or empty for the method's own
     */
    String name() default "";

    /**
     * SpEL expression over a bean method's arguments whose value identifies what the key is used for, such as
     * {@code "#event"}: a later call with the same key and a different value (compared by the SHA-256 of its
     * JSON form) is refused with {@link IdempotencyKeyReusedException}. Empty does not compare them.
     * @return the fingerprint expression
     */
    String fingerprint() default "";

    /**
     * What a call to a bean method does when another call with the same key is still running.
     * @return the policy
     */
    InProgressPolicy onInProgress() default InProgressPolicy.THROW;

    /**
     * Under {@link InProgressPolicy#WAIT}, how long a call waits for the running one to finish, for example
     * {@code "10s"}; empty waits for at most {@code idempotency.lease}.
     * @return the longest wait
     */
    String maxWait() default "";

    /**
     * Where the key comes from: {@link KeySource#AUTO} reads {@link #key()} when set, else the request header;
     * {@link KeySource#PAYLOAD} derives it on an MVC handler from the request itself.
     * @return the source of the key
     */
    KeySource keySource() default KeySource.AUTO;
}
