package com.example.payments.api;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Runs the whole app in the default profile (H2) behind a mock servlet environment, and builds its requests.
 * Every POST carries a fresh {@code Idempotency-Key}, so these tests see the API's own answers, not the
 * idempotency layer's.
 */
@SpringBootTest
@AutoConfigureMockMvc
abstract class ApiTestSupport {

    static final String ALICE = "alice";

    static final String BOB = "bob";

    @Autowired
    MockMvc mvc;

    static MockHttpServletRequestBuilder getAs(String user, String path) {
        return get(path).with(httpBasic(user, user + "-secret"));
    }

    static MockHttpServletRequestBuilder postAs(String user, String path, String json) {
        return post(path)
                .with(httpBasic(user, user + "-secret"))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json);
    }

    static String paymentJson(long amount) {
        return """
                {"amount": %d, "currency": "USD", "source": "tok_visa"}""".formatted(amount);
    }

    static String refundJson(long amount) {
        return """
                {"amount": %d}""".formatted(amount);
    }

    String createPayment(String user, long amount) throws Exception {
        String body = this.mvc
                .perform(postAs(user, "/payments", paymentJson(amount)))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return JsonPath.read(body, "$.id");
    }
}
