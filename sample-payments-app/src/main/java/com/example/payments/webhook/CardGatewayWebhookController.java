package com.example.payments.webhook;

import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The card network's webhook: {@code POST /webhooks/card-gateway}, signed rather than authenticated (see
 * {@link GatewaySignatureFilter}), delivered at least once.
 *
 * <p>The card network sends no {@code Idempotency-Key}: the key is the event's own id, taken from the body,
 * and shared by every caller ({@code GLOBAL}), since the caller is not a user. Every redelivery of an event
 * gets the first delivery's recorded answer, and books nothing.
 */
@RestController
public class CardGatewayWebhookController {

    private static final Map<String, Boolean> RECEIVED = Map.of("received", true);

    private final Chargebacks chargebacks;

    /**
     * Creates the controller.
     * @param chargebacks books disputes
     */
    public CardGatewayWebhookController(Chargebacks chargebacks) {
        this.chargebacks = chargebacks;
    }

    /**
     * Receives one delivery of an event: a dispute books a chargeback; other types are acknowledged and
     * ignored, so that the card network stops delivering them.
     * @param event the event
     * @return {@code {"received": true}}
     */
    @PostMapping(WebhookConfiguration.PATH)
    @Idempotent(key = "#body['id']", scope = IdempotencyScope.GLOBAL, ttl = "7d")
    public Map<String, Boolean> receive(@Valid @RequestBody CardGatewayEvent event) {
        if (CardGatewayEvent.CHARGE_DISPUTED.equals(event.type())) {
            this.chargebacks.book(event);
        }
        return RECEIVED;
    }
}
