package com.example.payments.gateway;

/**
 * Thrown when the card issuer refuses a charge. A business outcome, not a failure: the same card will be
 * refused again.
 */
public class CardDeclinedException extends RuntimeException {

    private final String source;

    /**
     * Creates the exception for the refused card.
     * @param source the card token that was declined
     */
    public CardDeclinedException(String source) {
        super("The card " + source + " was declined");
        this.source = source;
    }

    /**
     * Returns the card token that was declined.
     * @return the card token
     */
    public String getSource() {
        return this.source;
    }
}
