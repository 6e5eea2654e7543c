package com.example.payments.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One booking in an owner's ledger. The amount is signed: positive for a {@link LedgerEntryKind#PAYMENT},
 * negative for a {@link LedgerEntryKind#CHARGEBACK}, so that an owner's balance in a currency is the sum of
 * their entries in it.
 *
 * @param eventId the id of the event that caused the entry (a payment event's UUID, a card network's
 * {@code evt_...} id)
 * @param paymentId the payment the entry is about
 * @param owner name of the user whose ledger it is
 * @param kind what the entry books
 * @param amount the signed amount in minor units
 * @param currency the ISO 4217 currency code
 * @param at when the booked thing happened
 */
public record LedgerEntry(
        String eventId, UUID paymentId, String owner, LedgerEntryKind kind, long amount, String currency, Instant at) {

    public LedgerEntry {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(at, "at");
        if ((kind == LedgerEntryKind.PAYMENT) ? amount <= 0 : amount >= 0) {
            throw new IllegalArgumentException("A " + kind + " entry must be a "
                    + ((kind == LedgerEntryKind.PAYMENT) ? "credit" : "debit") + ", not " + amount);
        }
    }

    /**
     * Creates the credit of a payment.
     * @param eventId the payment event's id
     * @param paymentId the payment
     * @param owner who paid
     * @param amount the payment's amount, positive
     * @param currency its currency
     * @param at when the payment went through
     * @return the entry
     */
    public static LedgerEntry payment(
            String eventId, UUID paymentId, String owner, long amount, String currency, Instant at) {
        return new LedgerEntry(eventId, paymentId, owner, LedgerEntryKind.PAYMENT, amount, currency, at);
    }

    /**
     * Creates the debit of a chargeback.
     * @param eventId the card network's event id
     * @param paymentId the disputed payment
     * @param owner who paid
     * @param amount the disputed amount, positive: the entry books its negation
     * @param currency the payment's currency
     * @param at when the dispute was received
     * @return the entry
     */
    public static LedgerEntry chargeback(
            String eventId, UUID paymentId, String owner, long amount, String currency, Instant at) {
        return new LedgerEntry(eventId, paymentId, owner, LedgerEntryKind.CHARGEBACK, -amount, currency, at);
    }
}
