package io.github.idempotency.autoconfigure;

import io.github.idempotency.client.IdempotentRetrySettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@code RestClient} companion: how unsafe requests of the clients it is
 * applied to are keyed and retried.
 */
@ConfigurationProperties("idempotency.client")
public class IdempotencyClientProperties {

    /**
     * Name of the request header carrying the idempotency key.
     */
    private String headerName = "Idempotency-Key";

    /**
     * Most attempts of one logical call, the first included. 1 never retries.
     */
    private int maxAttempts = 5;

    /**
     * Wait before the first retry when the answer names no Retry-After.
     */
    private Duration initialBackoff = Duration.ofMillis(500);

    /**
     * Factor each later wait grows by.
     */
    private double multiplier = 2.0;

    /**
     * Longest wait that the exponential backoff grows to.
     */
    private Duration maxBackoff = Duration.ofSeconds(10);

    /**
     * Largest random extra on the first backoff wait, scaled up with later ones. 0 for none.
     */
    private Duration jitter = Duration.ofMillis(250);

    /**
     * Longest one logical call retries for. A wait that would end past it ends the retries and returns the
     * last answer.
     */
    private Duration maxTotalTime = Duration.ofSeconds(30);

    /**
     * Longest Retry-After honoured. A longer one is shortened to this.
     */
    private Duration maxRetryAfter = Duration.ofSeconds(10);

    public String getHeaderName() {
        return this.headerName;
    }

    public void setHeaderName(String headerName) {
        this.headerName = headerName;
    }

    public int getMaxAttempts() {
        return this.maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
        return this.initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    public double getMultiplier() {
        return this.multiplier;
    }

    public void setMultiplier(double multiplier) {
        this.multiplier = multiplier;
    }

    public Duration getMaxBackoff() {
        return this.maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public Duration getJitter() {
        return this.jitter;
    }

    public void setJitter(Duration jitter) {
        this.jitter = jitter;
    }

    public Duration getMaxTotalTime() {
        return this.maxTotalTime;
    }

    public void setMaxTotalTime(Duration maxTotalTime) {
        this.maxTotalTime = maxTotalTime;
    }

    public Duration getMaxRetryAfter() {
        return this.maxRetryAfter;
    }

    public void setMaxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }

    /**
     * Returns these properties as the interceptor's settings.
     * @return the settings
     */
    IdempotentRetrySettings toSettings() {
        return new IdempotentRetrySettings(
                this.headerName,
                this.maxAttempts,
                this.initialBackoff,
                this.multiplier,
                this.maxBackoff,
                this.jitter,
                this.maxTotalTime,
                this.maxRetryAfter);
    }
}
