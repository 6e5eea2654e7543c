package com.example.payments.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * Body of {@code POST /payments/{id}/refunds}.
 *
 * @param amount the amount to give back in minor units of the payment's currency, positive
 */
public record NewRefund(@NotNull @Positive Long amount) {}
