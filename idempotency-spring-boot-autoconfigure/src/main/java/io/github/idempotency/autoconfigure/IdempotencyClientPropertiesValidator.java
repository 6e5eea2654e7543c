package io.github.idempotency.autoconfigure;

import java.time.Duration;

/**
 * Fails startup on {@code idempotency.client.*} values no retry can work with, naming the property.
 */
final class IdempotencyClientPropertiesValidator {

    private IdempotencyClientPropertiesValidator() {}

    static void validate(IdempotencyClientProperties properties) {
        IdempotencyPropertiesValidator.headerName("idempotency.client.header-name", properties.getHeaderName());
        if (properties.getMaxAttempts() < 1) {
            throw IdempotencyPropertiesValidator.invalid(
                    "idempotency.client.max-attempts", properties.getMaxAttempts(), "must be at least 1");
        }
        IdempotencyPropertiesValidator.positive("idempotency.client.initial-backoff", properties.getInitialBackoff());
        if (!(properties.getMultiplier() >= 1)) {
            throw IdempotencyPropertiesValidator.invalid(
                    "idempotency.client.multiplier", properties.getMultiplier(), "must be at least 1");
        }
        if (properties.getMaxBackoff() == null
                || properties.getMaxBackoff().compareTo(properties.getInitialBackoff()) < 0) {
            throw IdempotencyPropertiesValidator.invalid(
                    "idempotency.client.max-backoff",
                    properties.getMaxBackoff(),
                    "must not be shorter than idempotency.client.initial-backoff");
        }
        notNegative("idempotency.client.jitter", properties.getJitter());
        IdempotencyPropertiesValidator.positive("idempotency.client.max-total-time", properties.getMaxTotalTime());
        notNegative("idempotency.client.max-retry-after", properties.getMaxRetryAfter());
    }

    private static void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw IdempotencyPropertiesValidator.invalid(name, value, "must not be negative");
        }
    }
}
