package io.github.idempotency;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.util.Assert;

/**
 * Proof of ownership of a claim. Every write after the claim ({@code complete}, {@code release},
 * {@code renew}) carries it, and a store refuses the write when the record is no longer owned by it, so a
 * request whose lease expired and was taken over cannot touch the new owner's record.
 *
 * @param value the token's text, unique per claim
 */
public record ClaimToken(String value) {

    private static final long PROCESS_SALT = new SecureRandom().nextLong();

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
        // Tokens are compared, never shown: 128 random bits keep them unique without UUID.randomUUID()'s
        // shared SecureRandom, which concurrent requests would queue on. The per-process salt keeps two
        // processes whose thread-local generators happened to start alike apart.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new ClaimToken(new UUID(PROCESS_SALT ^ random.nextLong(), random.nextLong()).toString());
    }
}
