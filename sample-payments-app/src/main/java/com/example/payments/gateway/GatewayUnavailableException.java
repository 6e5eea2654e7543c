package com.example.payments.gateway;

/**
 * Thrown when the card gateway fails or cannot be reached. Nothing was charged; a retry may succeed.
 */
public class GatewayUnavailableException extends RuntimeException {

    /**
     * Creates the exception.
     * @param message what failed
     */
    public GatewayUnavailableException(String message) {
        super(message);
    }
}
