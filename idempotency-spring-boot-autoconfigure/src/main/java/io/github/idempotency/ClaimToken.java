package io.github.idempotency;

import java.util.UUID;
import org.springframework.util.Assert;

/**
 * Proof of ownership of a claim. Every write after the claim ({@code complete}, {@code release},
 * {@code renew}) carries it, and a store refuses the write when the record is no longer owned by it, so a
 * request whose lease expired and was taken over cannot touch the new owner's record.
 *
 * @param value the token's text, unique per claim
 */
public record ClaimToken(String value) {

    /**
     * Creates a token, rejecting an empty value.
     */
    public ClaimToken {
        Assert.hasText(value, "'value' must not be empty");
    }

    /**
     * Returns a new token that no other claim has.
     * @return a random token
     */
    public static ClaimToken random() {
        return new ClaimToken(UUID.randomUUID().toString());
    }
}
