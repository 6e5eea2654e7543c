package com.example.payments.api;

import com.example.payments.payment.Refund;
import com.example.payments.payment.RefundService;
import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;
import java.net.URI;
import java.security.Principal;
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
 * {@code /payments/{paymentId}/refunds}: refund the caller's payments.
 */
@RestController
@RequestMapping("/payments/{paymentId}/refunds")
public class RefundController {

    private final RefundService refunds;

    /**
     * Creates the controller.
     * @param refunds the refund service
     */
    public RefundController(RefundService refunds) {
        this.refunds = refunds;
    }

    /**
     * Refunds part or all of what is left of a payment. A retry with the same {@code Idempotency-Key} gets
     * the first answer back instead of a second refund.
     * @param paymentId the payment to refund
     * @param body the refund to make
     * @param caller the authenticated user
     * @return {@code 201 Created} with the refund
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Idempotent
    public ResponseEntity<RefundResponse> create(
            @PathVariable UUID paymentId, @Valid @RequestBody NewRefund body, Principal caller) {
        Refund refund = this.refunds.refund(caller.getName(), paymentId, body.amount());
        return ResponseEntity.created(URI.create("/payments/" + paymentId + "/refunds/" + refund.getId()))
                .body(RefundResponse.of(refund));
    }

    /**
     * Reads a refund of one of the caller's payments.
     * @param paymentId the refunded payment
     * @param refundId the refund's id
     * @param caller the authenticated user
     * @return the refund; {@code 404} if absent or of another user's payment
     */
    @GetMapping("/{refundId}")
    public RefundResponse get(@PathVariable UUID paymentId, @PathVariable UUID refundId, Principal caller) {
        return RefundResponse.of(this.refunds.find(caller.getName(), paymentId, refundId));
    }
}
