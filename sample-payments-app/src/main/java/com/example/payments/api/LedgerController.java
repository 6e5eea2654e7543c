package com.example.payments.api;

import com.example.payments.ledger.Ledger;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /ledger}: the caller's balances and ledger entries, as booked from the payment events.
 */
@RestController
@RequestMapping("/ledger")
public class LedgerController {

    private final Ledger ledger;

    /**
     * Creates the controller.
     * @param ledger the ledger
     */
    public LedgerController(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * Reads the caller's ledger. Payments show here once their events have been consumed, shortly after
     * they are made.
     * @param caller the authenticated user
     * @return the balances per currency and the entries, oldest first
     */
    @GetMapping
    public LedgerResponse get(Principal caller) {
        return LedgerResponse.of(this.ledger.statement(caller.getName()));
    }
}
