package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyTransactions;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.web.DefaultIdempotencyRecordPolicy;
import io.github.idempotency.web.DefaultIdempotencyScopeResolver;
import io.github.idempotency.web.IdempotencyFilter;
import io.github.idempotency.web.IdempotencyHandlerInterceptor;
import io.github.idempotency.web.IdempotencyRecordPolicy;
import io.github.idempotency.web.IdempotencyScopeResolver;
import io.github.idempotency.web.IdempotencySettings;
import io.github.idempotency.web.IdempotentExchangeCleanupListener;
import io.github.idempotency.web.IdempotentExchanges;
import io.github.idempotency.web.IdempotentHandlerMethodValidator;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Auto-configuration of {@code @Idempotent} for Spring MVC: the filter that holds back and records
 * responses, the interceptor that claims keys, and the startup check of annotated handlers.
 */
@AutoConfiguration(after = IdempotencyAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(IdempotencyEngine.class)
@ConditionalOnBooleanProperty(name = "idempotency.enabled", matchIfMissing = true)
public class IdempotencyWebMvcAutoConfiguration {

    /**
     * Order of the filter: after Spring Security's filter chain ({@code -100}), so requests it refuses are
     * never wrapped, and before the application's own filters at the default lowest precedence.
     */
    public static final int FILTER_ORDER = 0;

    @Bean
    @ConditionalOnMissingBean
    IdempotencyScopeResolver idempotencyScopeResolver() {
        return new DefaultIdempotencyScopeResolver();
    }

    @Bean
    @ConditionalOnMissingBean
    IdempotencyRecordPolicy idempotencyRecordPolicy() {
        return new DefaultIdempotencyRecordPolicy();
    }

    @Bean
    IdempotentExchanges idempotentExchanges(IdempotencyRecordPolicy recordPolicy, IdempotencyProperties properties) {
        return new IdempotentExchanges(
                recordPolicy,
                properties.getResponseHeaders().getExclude(),
                properties.getResponseHeaders().getInclude());
    }

    @Bean
    IdempotencyHandlerInterceptor idempotencyHandlerInterceptor(
            IdempotencyEngine engine,
            IdempotencyProperties properties,
            IdempotencyScopeResolver scopeResolver,
            IdempotentExchanges exchanges) {
        return new IdempotencyHandlerInterceptor(engine, settings(properties), scopeResolver, exchanges);
    }

    @Bean
    WebMvcConfigurer idempotencyWebMvcConfigurer(IdempotencyHandlerInterceptor interceptor) {
        return new WebMvcConfigurer() {

            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                // Last, so that interceptors that refuse a request (authorization, rate limits) run first.
                registry.addInterceptor(interceptor).order(Ordered.LOWEST_PRECEDENCE);
            }
        };
    }

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            IdempotentExchanges exchanges, IdempotencyProperties properties) {
        IdempotencyFilter filter = new IdempotencyFilter(exchanges, settings(properties));
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR));
        registration.setOrder(FILTER_ORDER);
        return registration;
    }

    @Bean
    ServletListenerRegistrationBean<IdempotentExchangeCleanupListener> idempotentExchangeCleanupListener(
            IdempotentExchanges exchanges) {
        return new ServletListenerRegistrationBean<>(new IdempotentExchangeCleanupListener(exchanges));
    }

    @Bean
    IdempotentHandlerMethodValidator idempotentHandlerMethodValidator(
            ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings,
            IdempotencyHandlerInterceptor interceptor,
            IdempotencyStore store,
            ObjectProvider<IdempotencyTransactions> transactions) {
        return new IdempotentHandlerMethodValidator(handlerMappings, interceptor, store, transactions.getIfAvailable());
    }

    static IdempotencySettings settings(IdempotencyProperties properties) {
        return new IdempotencySettings(
                properties.getHeaderName(),
                properties.getTtl(),
                properties.getLease(),
                properties.getScope(),
                properties.getMaxKeyLength(),
                properties.getMaxRequestSize().toBytes(),
                properties.getMaxResponseSize().toBytes(),
                properties.getStore().getFailureMode() == IdempotencyProperties.FailureMode.FAIL_OPEN,
                properties.getJdbc().isTransactional());
    }
}
