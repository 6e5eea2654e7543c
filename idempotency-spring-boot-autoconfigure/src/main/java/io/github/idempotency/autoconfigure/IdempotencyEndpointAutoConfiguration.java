package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.actuate.IdempotencyEndpoint;
import io.github.idempotency.actuate.IdempotencyEndpointWebExtension;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code idempotency} actuator endpoint, where Spring Boot Actuator is present
 * and the endpoint is available ({@code management.endpoints.web.exposure.include=idempotency}).
 */
@AutoConfiguration(after = IdempotencyAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBooleanProperty(name = "idempotency.enabled", matchIfMissing = true)
@ConditionalOnBean(IdempotencyStore.class)
@ConditionalOnAvailableEndpoint(IdempotencyEndpoint.class)
public class IdempotencyEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IdempotencyEndpoint idempotencyEndpoint(IdempotencyStore store, IdempotencyProperties properties) {
        return new IdempotencyEndpoint(store, properties.getScope());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(IdempotencyEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    IdempotencyEndpointWebExtension idempotencyEndpointWebExtension(IdempotencyEndpoint endpoint) {
        return new IdempotencyEndpointWebExtension(endpoint);
    }
}
