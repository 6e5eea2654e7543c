package com.example.payments.ledger;

import java.util.List;
import java.util.SortedMap;

/**
 * An owner's ledger as it stands.
 *
 * @param balances the balance per currency, in minor units, by currency code
 * @param entries every entry, oldest first
 */
public record LedgerStatement(SortedMap<String, Long> balances, List<LedgerEntry> entries) {}
