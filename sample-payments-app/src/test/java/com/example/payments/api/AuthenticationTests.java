package com.example.payments.api;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Every endpoint needs HTTP Basic credentials of a known user, and says so with problem details.
 */
class AuthenticationTests extends ApiTestSupport {

    @Test
    void listWithoutCredentialsIsUnauthorized() throws Exception {
        expectUnauthorized(this.mvc.perform(get("/payments")));
    }

    @Test
    void paymentWithoutCredentialsIsUnauthorized() throws Exception {
        expectUnauthorized(this.mvc.perform(post("/payments")
                .header("Idempotency-Key", "k-without-credentials")
                .contentType(MediaType.APPLICATION_JSON)
                .content(paymentJson(5000))));
    }

    @Test
    void wrongPasswordIsUnauthorized() throws Exception {
        expectUnauthorized(this.mvc.perform(get("/payments").with(httpBasic(ALICE, "bob-secret"))));
    }

    @Test
    void knownUserIsLetIn() throws Exception {
        this.mvc.perform(getAs(BOB, "/payments")).andExpect(status().isOk());
    }

    private static void expectUnauthorized(ResultActions result) throws Exception {
        result.andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Basic realm=\"payments\""))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(Problems.UNAUTHORIZED.toString()))
                .andExpect(jsonPath("$.status").value(401));
    }
}
