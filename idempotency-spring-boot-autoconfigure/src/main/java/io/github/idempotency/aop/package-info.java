/**
 * The bean-method front door: {@code @Idempotent(key = "#event.id")} on any Spring bean method that is not a
 * Spring MVC handler (a message listener, a scheduled job, a service called by a relay), applied by a bean
 * post-processor with a Spring AOP advisor, so that no AspectJ is needed. It shares the
 * {@link io.github.idempotency.engine engine} with the servlet front door.
 */
package io.github.idempotency.aop;
