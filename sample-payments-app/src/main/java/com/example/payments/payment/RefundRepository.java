package com.example.payments.payment;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;

/**
 * Refunds of payments.
 */
public interface RefundRepository extends ListCrudRepository<Refund, UUID> {

    /**
     * Returns a refund of a payment.
     * @param id the refund's id
     * @param paymentId the payment it must belong to
     * @return the refund, empty if absent or of another payment
     */
    Optional<Refund> findByIdAndPaymentId(UUID id, UUID paymentId);
}
