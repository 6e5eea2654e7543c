package com.example.payments.api;

import com.example.payments.ledger.LedgerEntry;
import com.example.payments.ledger.LedgerEntryKind;
import com.example.payments.ledger.LedgerStatement;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.UUID;

/**
 * A ledger as the API shows it.
 *
 * @param balances the balance per currency code, in minor units
 * @param entries the entries, oldest first
 */
public record LedgerResponse(SortedMap<String, Long> balances, List<Entry> entries) {

    /**
     * Shows a ledger.
     * @param statement the owner's statement
     * @return its representation
     */
    public static LedgerResponse of(LedgerStatement statement) {
        return new LedgerResponse(
                statement.balances(),
                statement.entries().stream().map(Entry::of).toList());
    }

    /**
     * A ledger entry as the API shows it.
     *
     * @param eventId the id of the event that caused it
     * @param paymentId the payment it is about
     * @param kind what it books
     * @param amount the signed amount in minor units: negative for a chargeback
     * @param currency the ISO 4217 currency code
     * @param at when the booked thing happened
     */
    public record Entry(
            String eventId, UUID paymentId, LedgerEntryKind kind, long amount, String currency, Instant at) {

        static Entry of(LedgerEntry entry) {
            return new Entry(
                    entry.eventId(), entry.paymentId(), entry.kind(), entry.amount(), entry.currency(), entry.at());
        }
    }
}
