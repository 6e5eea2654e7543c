package com.example.payments.api;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.Currency;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks {@link KnownCurrency} against the currencies of {@link Currency#getAvailableCurrencies()}.
 */
public class KnownCurrencyValidator implements ConstraintValidator<KnownCurrency, String> {

    // Every code the JVM knows is three upper-case letters, so membership alone rejects "usd" and "US".
    private static final Set<String> KNOWN_CODES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        return value == null || KNOWN_CODES.contains(value);
    }
}
