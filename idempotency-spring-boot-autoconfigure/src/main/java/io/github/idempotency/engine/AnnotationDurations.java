package io.github.idempotency.engine;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/**
 * Reads the duration attributes of {@link io.github.idempotency.Idempotent} ({@code ttl}, {@code maxWait}) the
 * way Spring Boot reads durations in properties, for both front doors.
 */
public final class AnnotationDurations {

    private AnnotationDurations() {}

    /**
     * Returns the duration an attribute declares, or {@code null} if it is empty (the default applies).
     * @param value the attribute as written, such as {@code "30m"} or {@code "PT2H"}
     * @throws IllegalArgumentException if it is not a positive duration; the message says what is expected
     * and callers add where the attribute is
     */
    public static Duration parse(String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            Duration duration = DurationStyle.detectAndParse(value);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (IllegalArgumentException ex) {
            // Reported below, in the words every caller shares.
        }
        throw new IllegalArgumentException("is not a positive duration such as \"30m\" or \"PT2H\"");
    }
}
