package com.example.payments;

import io.github.idempotency.testsupport.RedisTestServer;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Points the app's {@code redis} profile at the test Redis (found by {@link RedisTestServer}), with
 * idempotency keys under a prefix of the application context's own, and deletes those keys once the context
 * has closed. Used with {@code @ContextConfiguration(initializers = ...)}, and with {@code @DirtiesContext}
 * so that the context closes with its test class.
 */
class RedisTestKeys implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        RedisConfiguration redis = RedisTestServer.configuration();
        String keyPrefix = "sample-payments-e2e-" + UUID.randomUUID() + ":";
        Map<String, Object> properties = RedisTestProperties.properties(redis);
        properties.put("idempotency.redis.key-prefix", keyPrefix);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("redisTestKeys", properties));
        // Registered before every bean, so destroyed after all of them.
        ((DefaultSingletonBeanRegistry) context.getBeanFactory()).registerDisposableBean("redisTestKeys", () -> {
            LettuceConnectionFactory connectionFactory = RedisTestServer.connectionFactory(redis);
            try {
                RedisTestServer.deleteKeys(connectionFactory, keyPrefix);
            } finally {
                connectionFactory.destroy();
            }
        });
    }
}
