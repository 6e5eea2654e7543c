package com.example.payments.fault;

import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Fault injection for demonstrations and crash tests, off unless {@value #PROPERTY} names a
 * {@link HaltPoint}: the first {@code POST /payments} that reaches that point halts the JVM, or, for
 * {@link HaltPoint#AFTER_EVENT_CONSUMED}, the first payment event that the ledger consumes. With
 * {@value #KEY_PREFIX_PROPERTY} set, only a request whose {@code Idempotency-Key} starts with that prefix
 * does, so that others can warm the app up first (it does not apply to events). Never set them in production.
 *
 * <p>The starter is left untouched: the points are reached by wrapping its {@code IdempotencyStore} bean
 * (a key claimed, a response recorded), the {@code PaymentService} (a payment saved) and the ledger's
 * {@code PaymentSucceededConsumer} (an event consumed). An app restarted without the property serves the
 * retry, or delivers the event again.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(FaultInjectionConfiguration.PROPERTY)
public class FaultInjectionConfiguration {

    /** The property naming the point at which to halt. */
    public static final String PROPERTY = "sample.fault.halt-at";

    /** The property restricting the halt to requests whose idempotency key starts with its value. */
    public static final String KEY_PREFIX_PROPERTY = "sample.fault.key-prefix";

    /** Exit status of a JVM halted by fault injection, so that a test can tell it from a kill or a crash. */
    public static final int HALT_STATUS = 99;

    // Static, and reading the Environment rather than a properties bean: a post-processor is created before
    // the beans it wraps, earlier than configuration properties binding should be asked to run.
    @Bean
    static HaltingPostProcessor haltingPostProcessor(
            Environment environment, ObjectProvider<EntityManagerFactory> entityManagerFactory) {
        Binder binder = Binder.get(environment);
        return new HaltingPostProcessor(
                binder.bind(PROPERTY, HaltPoint.class).get(),
                binder.bind(KEY_PREFIX_PROPERTY, String.class).orElse(""),
                entityManagerFactory);
    }
}
