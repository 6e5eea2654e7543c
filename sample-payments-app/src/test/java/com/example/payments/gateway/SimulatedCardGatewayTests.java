package com.example.payments.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatedCardGatewayTests {

    private final SimulatedCardGateway gateway = new SimulatedCardGateway(new GatewayProperties(Duration.ZERO));

    @Test
    void chargeOfVisaTokenSucceeds() {
        assertThatNoException().isThrownBy(() -> this.gateway.charge("tok_visa", 5000, "USD"));
    }

    @Test
    void chargeOfDeclinedTokenIsDeclinedEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertThatExceptionOfType(CardDeclinedException.class)
                    .isThrownBy(() -> this.gateway.charge("tok_declined", 5000, "USD"))
                    .satisfies(ex -> assertThat(ex.getSource()).isEqualTo("tok_declined"));
        }
    }

    @Test
    void chargeOfFlakyTokenFailsOnOddCallsAndSucceedsOnEvenCalls() {
        for (int call = 1; call <= 6; call++) {
            if (call % 2 == 1) {
                assertThatExceptionOfType(GatewayUnavailableException.class)
                        .as("call %d", call)
                        .isThrownBy(() -> this.gateway.charge("tok_flaky", 5000, "USD"));
            } else {
                assertThatNoException()
                        .as("call %d", call)
                        .isThrownBy(() -> this.gateway.charge("tok_flaky", 5000, "USD"));
            }
        }
    }

    @Test
    void chargesOfOtherTokensDoNotAdvanceTheFlakyAlternation() {
        assertThatExceptionOfType(GatewayUnavailableException.class)
                .isThrownBy(() -> this.gateway.charge("tok_flaky", 5000, "USD"));
        this.gateway.charge("tok_visa", 5000, "USD");
        assertThatExceptionOfType(CardDeclinedException.class)
                .isThrownBy(() -> this.gateway.charge("tok_declined", 5000, "USD"));
        assertThatNoException().isThrownBy(() -> this.gateway.charge("tok_flaky", 5000, "USD"));
    }

    @Test
    void chargeTakesAtLeastTheConfiguredLatency() {
        SimulatedCardGateway slow = new SimulatedCardGateway(new GatewayProperties(Duration.ofMillis(200)));
        long start = System.nanoTime();
        slow.charge("tok_visa", 5000, "USD");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
}
