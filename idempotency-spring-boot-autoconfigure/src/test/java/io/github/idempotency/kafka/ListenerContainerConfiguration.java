package io.github.idempotency.kafka;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.converter.StringJacksonJsonMessageConverter;

/**
 * What the test applications give Boot's listener containers: JSON payloads converted to the listener's
 * parameter type, and the error handler that redelivers an event while another consumer holds its key.
 */
@Configuration(proxyBeanMethods = false)
class ListenerContainerConfiguration {

    @Bean
    StringJacksonJsonMessageConverter messageConverter() {
        return new StringJacksonJsonMessageConverter();
    }

    @Bean
    DefaultErrorHandler errorHandler() {
        return IdempotentListenerErrorHandler.create();
    }
}
