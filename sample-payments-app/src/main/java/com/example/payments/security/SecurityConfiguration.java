package com.example.payments.security;

import com.example.payments.webhook.WebhookConfiguration;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic for every endpoint, with two demo users and an administrator, and no session: each request
 * carries its credentials. The actuator endpoints (health, metrics, prometheus, idempotency) are the
 * administrator's only; the OpenAPI document and Swagger UI are open, so that a new user can read the API
 * before having credentials.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final String ADMIN = "ADMIN";

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProblemWriter problems) throws Exception {
        return http.authorizeHttpRequests(requests -> requests
                        // Lets an error forwarded by the container be written, whoever caused it.
                        .dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint())
                        .hasRole(ADMIN)
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        // The card network signs its deliveries instead (GatewaySignatureFilter).
                        .requestMatchers(HttpMethod.POST, WebhookConfiguration.PATH)
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                // No cookies, no browser session: cross-site request forgery has nothing to ride on.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .build();
    }

    /**
     * The demo users {@code alice} and {@code bob}, and the administrator {@code admin}.
     * @return the users
     */
    @Bean
    UserDetailsService demoUsers() {
        // {noop}: these passwords are published in the README, so hashing them would protect nothing, while a
        // deliberately slow hash on every HTTP Basic request would swamp the latencies the benchmarks measure.
        // A real service keeps hashed credentials in a user store.
        return new InMemoryUserDetailsManager(
                User.withUsername("alice")
                        .password("{noop}alice-secret")
                        .roles("USER")
                        .build(),
                User.withUsername("bob")
                        .password("{noop}bob-secret")
                        .roles("USER")
                        .build(),
                User.withUsername("admin")
                        .password("{noop}admin-secret")
                        .roles(ADMIN)
                        .build());
    }
}
