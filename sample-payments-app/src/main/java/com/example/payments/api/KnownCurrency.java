package com.example.payments.api;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated string is an ISO 4217 currency code that the JVM knows, in upper case, such as {@code USD}.
 * {@code null} is valid: combine with {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = KnownCurrencyValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface KnownCurrency {

    /**
     * The message of a violation.
     * @return the message
     */
    String message() default "must be an ISO 4217 currency code in upper case, such as USD";

    /**
     * The validation groups.
     * @return the groups
     */
    Class<?>[] groups() default {};

    /**
     * The payload.
     * @return the payload
     */
    Class<? extends Payload>[] payload() default {};
}
