package com.example.payments.ledger;

/**
 * What a ledger entry books.
 */
public enum LedgerEntryKind {

    /** A payment went through: a credit of its amount. */
    PAYMENT,

    /** The card network disputed a payment: a debit of the disputed amount. */
    CHARGEBACK
}
