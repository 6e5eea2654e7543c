package com.example.payments.api;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A database whose connection pool is exhausted answers {@code 503} with {@code Retry-After}, never
 * {@code 500}: the test holds every connection of the pool (two, which Flyway needs at startup), so the
 * handler's wait for one times out, as under a burst of requests. The keys are kept in memory here, so that the claim itself needs no connection and
 * the failure happens inside the handler. A retry with the same key after the pool drained succeeds.
 */
@SpringBootTest(
        properties = {
            "idempotency.store.type=memory",
            "spring.datasource.hikari.maximum-pool-size=2",
            "spring.datasource.hikari.connection-timeout=250"
        })
class DatabaseUnavailableTests extends ApiTestSupport {

    @Autowired
    DataSource dataSource;

    @Test
    void paymentWhenPoolIsExhaustedThenServiceUnavailableAndRetrySucceedsOnceItDrains() throws Exception {
        MockHttpServletRequestBuilder payment = post("/payments")
                .with(httpBasic(ALICE, "alice-secret"))
                .header("Idempotency-Key", "pool-exhausted-1")
                .contentType(MediaType.APPLICATION_JSON)
                .content(paymentJson(900));
        try (Connection first = this.dataSource.getConnection();
                Connection second = this.dataSource.getConnection()) {
            expectServiceUnavailable(this.mvc.perform(payment));
        }

        this.mvc.perform(payment).andExpect(status().isCreated());
    }

    @Test
    void listWhenPoolIsExhaustedThenServiceUnavailable() throws Exception {
        try (Connection first = this.dataSource.getConnection();
                Connection second = this.dataSource.getConnection()) {
            expectServiceUnavailable(this.mvc.perform(getAs(BOB, "/payments")));
        }
    }

    private static void expectServiceUnavailable(ResultActions result) throws Exception {
        result.andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(Problems.SERVICE_UNAVAILABLE.toString()))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("same Idempotency-Key")));
    }
}
