package io.github.idempotency.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Both forms of {@code Retry-After}, measured against a fixed clock, and what is ignored.
 */
class RetryAfterTests {

    private final Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void deltaSecondsAreTheWait() {
        assertThat(RetryAfter.of(headers("2"), this.clock)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryAfter.of(headers(" 0 "), this.clock)).isEqualTo(Duration.ZERO);
    }

    @Test
    void httpDateIsMeasuredFromTheClock() {
        assertThat(RetryAfter.of(headers("Sun, 01 Jun 2025 12:00:07 GMT"), this.clock))
                .isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void httpDateInThePastMeansNow() {
        assertThat(RetryAfter.of(headers("Sun, 01 Jun 2025 11:59:00 GMT"), this.clock))
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void hugeDeltaSecondsDoNotOverflow() {
        assertThat(RetryAfter.of(headers("99999999999999999999"), this.clock)).isGreaterThan(Duration.ofDays(365));
    }

    @Test
    void absentBlankOrMalformedValueNamesNoWait() {
        assertThat(RetryAfter.of(new HttpHeaders(), this.clock)).isNull();
        assertThat(RetryAfter.of(headers(" "), this.clock)).isNull();
        assertThat(RetryAfter.of(headers("-5"), this.clock)).isNull();
        assertThat(RetryAfter.of(headers("1.5"), this.clock)).isNull();
        assertThat(RetryAfter.of(headers("soon"), this.clock)).isNull();
    }

    private static HttpHeaders headers(String retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, retryAfter);
        return headers;
    }
}
