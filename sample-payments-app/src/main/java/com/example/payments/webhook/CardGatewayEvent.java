package com.example.payments.webhook;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * An event the card network delivers to the webhook, at least once.
 *
 * @param id the card network's event id ({@code evt_...}), the same on every delivery of the event
 * @param type what happened, such as {@code charge.disputed}
 * @param paymentId the payment it is about
 * @param amount the amount concerned, in minor units
 */
public record CardGatewayEvent(
        @NotBlank @Size(max = 255) String id,
        @NotBlank String type,
        @NotNull UUID paymentId,
        @NotNull @Positive Long amount) {

    /** The type of a dispute, which books a chargeback. */
    static final String CHARGE_DISPUTED = "charge.disputed";
}
