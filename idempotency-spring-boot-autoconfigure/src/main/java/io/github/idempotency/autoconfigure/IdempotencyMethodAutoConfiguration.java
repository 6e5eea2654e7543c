package io.github.idempotency.autoconfigure;

import io.github.idempotency.aop.IdempotentMethodPostProcessor;
import io.github.idempotency.aop.IdempotentMethodSettings;
import io.github.idempotency.engine.IdempotencyEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of {@code @Idempotent} on Spring bean methods that are not Spring MVC handlers (message
 * listeners, scheduled jobs, services): a post-processor that advises them, with return values recorded as
 * JSON through the application's {@link JsonMapper}.
 */
@AutoConfiguration(after = IdempotencyAutoConfiguration.class)
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnBooleanProperty(name = "idempotency.enabled", matchIfMissing = true)
public class IdempotencyMethodAutoConfiguration {

    /**
     * The post-processor is created before other beans, as every post-processor is: everything it needs is
     * looked up lazily, once, when an idempotent method is first called or startup ends.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static IdempotentMethodPostProcessor idempotentMethodPostProcessor(
            ObjectProvider<IdempotencyEngine> engine,
            ObjectProvider<JsonMapper> jsonMapper,
            ObjectProvider<IdempotencyProperties> properties) {
        return new IdempotentMethodPostProcessor(
                SingletonSupplier.of(engine::getObject),
                SingletonSupplier.of(() ->
                        jsonMapper.getIfAvailable(() -> JsonMapper.builder().build())),
                SingletonSupplier.of(() -> new IdempotentMethodSettings(
                        properties.getObject().getTtl(), properties.getObject().getLease())));
    }
}
