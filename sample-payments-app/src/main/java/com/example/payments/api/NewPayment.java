package com.example.payments.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /payments}.
 *
 * @param amount the amount in minor units (cents for USD), positive
 * @param currency the ISO 4217 currency code, such as {@code USD}
 * @param source the card token, such as {@code tok_visa}
 */
public record NewPayment(
        @NotNull @Positive Long amount,
        @NotNull @KnownCurrency String currency,

        @NotBlank @Size(max = 64, message = "must be at most 64 characters")
        String source) {}
