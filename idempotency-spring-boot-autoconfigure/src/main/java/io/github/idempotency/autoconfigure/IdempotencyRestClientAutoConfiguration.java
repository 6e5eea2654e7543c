package io.github.idempotency.autoconfigure;

import io.github.idempotency.client.IdempotentRequestInterceptor;
import io.github.idempotency.client.IdempotentRestClientCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of the {@code RestClient} companion: an {@link IdempotentRestClientCustomizer} bean
 * that the application applies to the clients of its choice ({@code builder.apply(customizer)}). It is
 * deliberately not a {@code RestClientCustomizer}, which Spring Boot would apply to every builder.
 */
@AutoConfiguration
@ConditionalOnClass(RestClient.class)
@EnableConfigurationProperties(IdempotencyClientProperties.class)
public class IdempotencyRestClientAutoConfiguration {

    IdempotencyRestClientAutoConfiguration(IdempotencyClientProperties properties) {
        IdempotencyClientPropertiesValidator.validate(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    IdempotentRestClientCustomizer idempotentRestClientCustomizer(IdempotencyClientProperties properties) {
        return new IdempotentRestClientCustomizer(new IdempotentRequestInterceptor(properties.toSettings()));
    }
}
