package com.example.payments.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * A card gateway that decides the outcome from the card token, like a payment provider's test mode:
 * <ul>
 * <li>{@value #DECLINED} is always declined;</li>
 * <li>{@value #FLAKY} fails on its 1st, 3rd, 5th... charge since start and succeeds on the others;</li>
 * <li>any other token, such as {@code tok_visa}, succeeds.</li>
 * </ul>
 * Every charge first waits for {@code sample.gateway.latency}.
 */
@Component
public class SimulatedCardGateway implements CardGateway {

    /** Token of a card that is always declined. */
    public static final String DECLINED = "tok_declined";

    /** Token of a card whose charges fail and succeed in turn. */
    public static final String FLAKY = "tok_flaky";

    private final Duration latency;

    private final AtomicLong flakyCharges = new AtomicLong();

    /**
     * Creates the gateway.
     * @param properties the gateway's settings
     */
    public SimulatedCardGateway(GatewayProperties properties) {
        this.latency = properties.latency();
    }

    @Override
    public void charge(String source, long amount, String currency) {
        waitForNetwork();
        if (DECLINED.equals(source)) {
            throw new CardDeclinedException(source);
        }
        if (FLAKY.equals(source) && this.flakyCharges.incrementAndGet() % 2 == 1) {
            throw new GatewayUnavailableException("The card gateway did not answer");
        }
    }

    private void waitForNetwork() {
        if (this.latency.isZero() || this.latency.isNegative()) {
            return;
        }
        try {
            Thread.sleep(this.latency.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new GatewayUnavailableException("Interrupted while waiting for the card gateway");
        }
    }
}
