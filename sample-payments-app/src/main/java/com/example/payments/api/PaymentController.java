package com.example.payments.api;

import com.example.payments.payment.Payment;
import com.example.payments.payment.PaymentService;
import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /payments}: take a payment, list and read the caller's payments.
 */
@RestController
@RequestMapping("/payments")
public class PaymentController {

    private final PaymentService payments;

    /**
     * Creates the controller.
     * @param payments the payment service
     */
    public PaymentController(PaymentService payments) {
        this.payments = payments;
    }

    /**
     * Charges a card. A retry with the same {@code Idempotency-Key} gets the first answer back instead of a
     * second charge.
     * @param body the payment to take
     * @param caller the authenticated user
     * @return {@code 201 Created} with the payment
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Idempotent
    public ResponseEntity<PaymentResponse> create(@Valid @RequestBody NewPayment body, Principal caller) {
        Payment payment = this.payments.create(caller.getName(), body.amount(), body.currency(), body.source());
        return ResponseEntity.created(URI.create("/payments/" + payment.getId()))
                .body(PaymentResponse.of(payment));
    }

    /**
     * Lists the caller's payments, oldest first.
     * @param caller the authenticated user
     * @return the payments
     */
    @GetMapping
    public List<PaymentResponse> list(Principal caller) {
        return this.payments.findAll(caller.getName()).stream()
                .map(PaymentResponse::of)
                .toList();
    }

    /**
     * Reads one of the caller's payments.
     * @param id the payment's id
     * @param caller the authenticated user
     * @return the payment; {@code 404} if absent or another user's
     */
    @GetMapping("/{id}")
    public PaymentResponse get(@PathVariable UUID id, Principal caller) {
        return PaymentResponse.of(this.payments.find(caller.getName(), id));
    }
}
