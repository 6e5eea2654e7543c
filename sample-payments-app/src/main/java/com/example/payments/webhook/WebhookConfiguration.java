package com.example.payments.webhook;

import com.example.payments.security.SecurityProblemWriter;
import io.github.idempotency.autoconfigure.IdempotencyWebMvcAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the webhook's signature check for its path only, after Spring Security (which lets the webhook
 * through without credentials) and before the idempotency filter, so that an unsigned delivery claims nothing.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    /** The webhook's path. */
    public static final String PATH = "/webhooks/card-gateway";

    @Bean
    FilterRegistrationBean<GatewaySignatureFilter> gatewaySignatureFilter(
            WebhookProperties properties, SecurityProblemWriter problems) {
        FilterRegistrationBean<GatewaySignatureFilter> registration =
                new FilterRegistrationBean<>(new GatewaySignatureFilter(properties, problems));
        registration.addUrlPatterns(PATH);
        registration.setOrder(IdempotencyWebMvcAutoConfiguration.FILTER_ORDER - 1);
        return registration;
    }
}
