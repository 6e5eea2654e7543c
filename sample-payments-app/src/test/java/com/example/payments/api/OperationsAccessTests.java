package com.example.payments.api;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The actuator endpoints are the administrator's: {@code admin} reads health (with the idempotency store's),
 * metrics, Prometheus and the idempotency endpoint; {@code alice} and {@code bob} get {@code 403}, and a
 * caller without credentials {@code 401}. The OpenAPI document is open to all.
 */
class OperationsAccessTests extends ApiTestSupport {

    private static final List<String> ENDPOINTS = List.of(
            "/actuator/health",
            "/actuator/metrics",
            "/actuator/prometheus",
            "/actuator/idempotency?user=alice&method=POST&path=/payments&key=k");

    @Test
    void actuatorWhenUserIsNotAdminThenForbidden() throws Exception {
        for (String endpoint : ENDPOINTS) {
            this.mvc
                    .perform(getAs(ALICE, endpoint))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value(Problems.FORBIDDEN.toString()));
            this.mvc.perform(getAs(BOB, endpoint)).andExpect(status().isForbidden());
        }
    }

    @Test
    void actuatorWithoutCredentialsThenUnauthorized() throws Exception {
        for (String endpoint : ENDPOINTS) {
            this.mvc.perform(get(endpoint)).andExpect(status().isUnauthorized());
        }
    }

    @Test
    void healthWhenAdminThenShowsTheIdempotencyStore() throws Exception {
        this.mvc
                .perform(getAs("admin", "/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.idempotency.status").value("UP"))
                .andExpect(jsonPath("$.components.idempotency.details.store").value("jdbc"));
    }

    @Test
    void prometheusWhenAdminThenCountsIdempotentRequestsByOutcome() throws Exception {
        createPayment(ALICE, 1200);
        this.mvc
                .perform(post("/payments")
                        .with(httpBasic(ALICE, "alice-secret"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(paymentJson(1200)))
                .andExpect(status().isBadRequest());

        this.mvc
                .perform(getAs("admin", "/actuator/prometheus"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("idempotency_operation_seconds_count{")))
                .andExpect(content().string(Matchers.containsString("outcome=\"executed\"")))
                .andExpect(content().string(Matchers.containsString("outcome=\"rejected\"")))
                .andExpect(content().string(Matchers.containsString("idempotency_store_seconds_count{")));
    }

    @Test
    void idempotencyEndpointWhenAdminThenLooksUpAndDeletesAKey() throws Exception {
        String key = "admin-lookup-" + System.nanoTime();
        this.mvc
                .perform(post("/payments")
                        .with(httpBasic(BOB, "bob-secret"))
                        .header("Idempotency-Key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(paymentJson(700)))
                .andExpect(status().isCreated());
        String address = "/actuator/idempotency?user=bob&method=POST&path=/payments&key=" + key;

        this.mvc
                .perform(getAs("admin", address))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("completed"))
                .andExpect(jsonPath("$.response.status").value(201));
        this.mvc
                .perform(delete(address).with(httpBasic("admin", "admin-secret")))
                .andExpect(status().isNoContent());
        this.mvc.perform(getAs("admin", address)).andExpect(status().isNotFound());
    }

    @Test
    void openApiDocumentIsOpenAndDocumentsTheIdempotencyKey() throws Exception {
        this.mvc
                .perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/payments'].post.parameters[?(@.name == 'Idempotency-Key')].required")
                        .value(Matchers.contains(true)))
                .andExpect(
                        jsonPath("$.paths['/payments'].post.responses['409']").exists())
                .andExpect(jsonPath("$.components.securitySchemes.basic.scheme").value("basic"));
    }
}
