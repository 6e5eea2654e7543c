package io.github.idempotency.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import org.springframework.http.HttpHeaders;

/**
 * Reads the {@code Retry-After} header of an answer (RFC 9110, section 10.2.3): delta-seconds or an
 * HTTP-date.
 */
final class RetryAfter {

    private RetryAfter() {}

    /**
     * Returns how long the server asks the client to wait.
     * @param headers the answer's headers
     * @param clock the clock an HTTP-date is measured against
     * @return the wait, zero for a date already past, or {@code null} when the header is absent or malformed
     */
    static Duration of(HttpHeaders headers, Clock clock) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            // Absurdly long numbers overflow long; they mean "not soon", which the caller caps anyway.
            return (value.length() > 12)
                    ? Duration.ofSeconds(999_999_999_999L)
                    : Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            ZonedDateTime date = headers.getFirstZonedDateTime(HttpHeaders.RETRY_AFTER);
            Duration wait = Duration.between(Instant.now(clock), date.toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }
}
