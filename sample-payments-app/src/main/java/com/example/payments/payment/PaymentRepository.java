package com.example.payments.payment;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * Payments, always looked up through their owner.
 */
public interface PaymentRepository extends ListCrudRepository<Payment, UUID> {

    /**
     * Returns a user's payments, oldest first.
     * @param owner the user's name
     * @return the payments
     */
    List<Payment> findByOwnerOrderByCreatedAtAscIdAsc(String owner);

    /**
     * Returns a user's payment.
     * @param id the payment's id
     * @param owner the user's name
     * @return the payment, empty if absent or owned by someone else
     */
    Optional<Payment> findByIdAndOwner(UUID id, String owner);

    /**
     * Returns a user's payment and locks its row until the transaction ends, so that concurrent refunds of
     * one payment are checked against the remaining amount one at a time.
     * @param id the payment's id
     * @param owner the user's name
     * @return the payment, empty if absent or owned by someone else
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from Payment p where p.id = :id and p.owner = :owner")
    Optional<Payment> findByIdAndOwnerForUpdate(UUID id, String owner);
}
