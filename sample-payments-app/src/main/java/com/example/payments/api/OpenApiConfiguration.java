package com.example.payments.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's OpenAPI document (served at {@code /v3/api-docs}, shown by Swagger UI at
 * {@code /swagger-ui.html}): every operation needs HTTP Basic, so Swagger UI's "Authorize" asks for a
 * user. The idempotency starter adds the {@code Idempotency-Key} header and its answers to the
 * {@code @Idempotent} operations.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String BASIC = "basic";

    @Bean
    OpenAPI paymentsOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Sample payments API").version("1"))
                .components(new Components()
                        .addSecuritySchemes(
                                BASIC,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme(BASIC)))
                .addSecurityItem(new SecurityRequirement().addList(BASIC));
    }
}
