package com.example.payments.gateway;

/**
 * Charges a card through the payment network.
 */
public interface CardGateway {

    /**
     * Charges {@code amount} minor units of {@code currency} to the card behind {@code source}.
     * @param source the card token
     * @param amount the amount in minor units, positive
     * @param currency the ISO 4217 currency code
     * @throws CardDeclinedException if the issuer refuses the charge: nothing was charged, and trying
     * again will not help
     * @throws GatewayUnavailableException if the gateway failed or could not be reached: nothing was
     * charged, and trying again may succeed
     */
    void charge(String source, long amount, String currency);
}
