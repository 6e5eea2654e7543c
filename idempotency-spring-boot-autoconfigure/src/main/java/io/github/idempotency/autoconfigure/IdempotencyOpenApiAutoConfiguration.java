package io.github.idempotency.autoconfigure;

import io.github.idempotency.openapi.IdempotentOperationCustomizer;
import io.github.idempotency.web.IdempotencyHandlerInterceptor;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the OpenAPI documentation of {@code @Idempotent} endpoints, where springdoc-openapi
 * generates the application's OpenAPI document.
 */
@AutoConfiguration(after = IdempotencyWebMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OperationCustomizer.class)
@ConditionalOnBean(IdempotencyHandlerInterceptor.class)
public class IdempotencyOpenApiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IdempotentOperationCustomizer idempotentOperationCustomizer(IdempotencyProperties properties) {
        return new IdempotentOperationCustomizer(properties.getHeaderName(), properties.getMaxKeyLength());
    }
}
