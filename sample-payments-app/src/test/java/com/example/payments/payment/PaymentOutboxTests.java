package com.example.payments.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;

import com.example.payments.events.EventJson;
import com.example.payments.events.PaymentSucceeded;
import com.example.payments.gateway.CardDeclinedException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A payment and its {@code payment.succeeded} event are written in one transaction: both or neither.
 */
@SpringBootTest
class PaymentOutboxTests {

    @Autowired
    private PaymentService payments;

    @Autowired
    private PaymentRepository repository;

    @Autowired
    private JdbcClient jdbc;

    // The outbox's collaborator: a spy on the outbox itself would sit inside its transactional proxy.
    @MockitoSpyBean
    private EventJson json;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void succeededPaymentWritesOnePaymentSucceededEvent() {
        String owner = newOwner();

        Payment payment = this.payments.create(owner, 5000, "USD", "tok_visa");

        List<String> events = eventsOf(owner);
        assertThat(events).hasSize(1);
        PaymentSucceeded event = this.json.read(events.get(0));
        assertThat(event.eventId()).isNotNull();
        assertThat(event)
                .isEqualTo(new PaymentSucceeded(
                        event.eventId(), payment.getId(), owner, 5000, "USD", payment.getCreatedAt()));
    }

    @Test
    void declinedPaymentWritesNoEvent() {
        String owner = newOwner();

        assertThatExceptionOfType(CardDeclinedException.class)
                .isThrownBy(() -> this.payments.create(owner, 5000, "USD", "tok_declined"));

        assertThat(eventsOf(owner)).isEmpty();
    }

    @Test
    void paymentIsNotKeptWhenItsEventCannotBeWritten() {
        String owner = newOwner();
        doThrow(new IllegalStateException("the event cannot be written"))
                .when(this.json)
                .write(any());

        assertThatThrownBy(() -> this.payments.create(owner, 5000, "USD", "tok_visa"))
                .hasRootCauseMessage("the event cannot be written");

        assertThat(this.repository.findByOwnerOrderByCreatedAtAscIdAsc(owner)).isEmpty();
    }

    // As in the starter's transactional mode, where the request's transaction is open around the handler.
    @Test
    void paymentAndEventJoinTheCallersTransaction() {
        String owner = newOwner();

        new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> {
            this.payments.create(owner, 5000, "USD", "tok_visa");
            status.setRollbackOnly();
        });

        assertThat(this.repository.findByOwnerOrderByCreatedAtAscIdAsc(owner)).isEmpty();
        assertThat(eventsOf(owner)).isEmpty();
    }

    private List<String> eventsOf(String owner) {
        return this.jdbc
                .sql("SELECT payload FROM outbox_event WHERE event_type = 'payment.succeeded' AND event_key = ?")
                .param(owner)
                .query(String.class)
                .list();
    }

    private static String newOwner() {
        return "outbox-test-" + UUID.randomUUID();
    }
}
