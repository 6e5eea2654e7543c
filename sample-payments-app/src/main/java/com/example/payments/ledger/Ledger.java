package com.example.payments.ledger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The owners' ledgers: an append-only list of entries and, per owner and currency, a balance row that each
 * entry adds its amount to.
 *
 * <p>Appending is not idempotent: every call books again. Callers that may see the same event twice must
 * de-duplicate, as the {@link PaymentLedgerConsumer} does with {@code @Idempotent}.
 */
@Repository
public class Ledger {

    private final JdbcClient jdbc;

    /**
     * Creates the ledger.
     * @param jdbc the application's database
     */
    public Ledger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Books an entry: appends it and adds its amount to the owner's balance in its currency, in one
     * transaction (the caller's, or one of its own).
     * @param entry the entry
     */
    @Transactional
    public void append(LedgerEntry entry) {
        this.jdbc
                .sql("""
                        INSERT INTO ledger_entry (event_id, payment_id, owner, kind, amount, currency, occurred_at)
                        VALUES (:eventId, :paymentId, :owner, :kind, :amount, :currency, :at)""")
                .param("eventId", entry.eventId())
                .param("paymentId", entry.paymentId())
                .param("owner", entry.owner())
                .param("kind", entry.kind().name())
                .param("amount", entry.amount())
                .param("currency", entry.currency())
                .param("at", entry.at().atOffset(ZoneOffset.UTC))
                .update();
        int updated = this.jdbc
                .sql("""
                        UPDATE ledger_balance SET balance = balance + :amount
                        WHERE owner = :owner AND currency = :currency""")
                .param("amount", entry.amount())
                .param("owner", entry.owner())
                .param("currency", entry.currency())
                .update();
        if (updated == 0) {
            // The owner's first entry in this currency. When two first entries race, one insert fails on the
            // primary key and its transaction rolls back: its event is delivered again, and finds the row.
            this.jdbc
                    .sql("INSERT INTO ledger_balance (owner, currency, balance) VALUES (:owner, :currency, :amount)")
                    .param("owner", entry.owner())
                    .param("currency", entry.currency())
                    .param("amount", entry.amount())
                    .update();
        }
    }

    /**
     * Returns an owner's balances and entries, as of one moment.
     * @param owner the owner's name
     * @return the statement; empty for an owner without entries
     */
    // Repeatable read: the balances and the entries come from one snapshot, so that they add up even while
    // entries are being booked.
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public LedgerStatement statement(String owner) {
        SortedMap<String, Long> balances = new TreeMap<>();
        this.jdbc
                .sql("SELECT currency, balance FROM ledger_balance WHERE owner = :owner")
                .param("owner", owner)
                .query(row -> {
                    balances.put(row.getString("currency"), row.getLong("balance"));
                });
        List<LedgerEntry> entries = this.jdbc
                .sql("""
                        SELECT event_id, payment_id, owner, kind, amount, currency, occurred_at FROM ledger_entry
                        WHERE owner = :owner ORDER BY occurred_at, id""")
                .param("owner", owner)
                .query((row, number) -> new LedgerEntry(
                        row.getString("event_id"),
                        row.getObject("payment_id", UUID.class),
                        row.getString("owner"),
                        LedgerEntryKind.valueOf(row.getString("kind")),
                        row.getLong("amount"),
                        row.getString("currency"),
                        row.getObject("occurred_at", OffsetDateTime.class).toInstant()))
                .list();
        return new LedgerStatement(balances, entries);
    }
}
