package com.example.payments.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

/**
 * Settings of the card network's webhook.
 *
 * @param secret key of the HMAC-SHA256 signature the card network puts in {@code X-Gateway-Signature}
 */
@ConfigurationProperties("sample.webhooks")
public record WebhookProperties(@DefaultValue("whsec_test") String secret) {

    /**
     * Creates the settings, rejecting an empty secret, with which anybody could sign.
     */
    public WebhookProperties {
        Assert.hasText(secret, "sample.webhooks.secret must not be empty");
    }
}
