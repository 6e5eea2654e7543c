package com.example.payments.api;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Every kind of bad {@code POST /payments} gets {@code 400} problem details that say what to fix.
 */
class PaymentRequestValidationTests extends ApiTestSupport {

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("amount missing", """
                        {"currency": "USD", "source": "tok_visa"}""", "'amount' must not be null"),
                Arguments.of("amount zero", """
                        {"amount": 0, "currency": "USD", "source": "tok_visa"}""", "'amount' must be greater than 0"),
                Arguments.of("amount negative", """
                        {"amount": -5, "currency": "USD", "source": "tok_visa"}""", "'amount' must be greater than 0"),
                Arguments.of("amount with a fraction", """
                        {"amount": 50.5, "currency": "USD", "source": "tok_visa"}""", "'amount' has a value of the wrong type"),
                Arguments.of("amount as a string", """
                        {"amount": "5000", "currency": "USD", "source": "tok_visa"}""", "'amount' has a value of the wrong type"),
                Arguments.of("amount beyond a long", """
                        {"amount": 99999999999999999999, "currency": "USD", "source": "tok_visa"}""", "'amount' has a value of the wrong type"),
                Arguments.of("currency missing", """
                        {"amount": 5000, "source": "tok_visa"}""", "'currency' must not be null"),
                Arguments.of("currency in lower case", """
                        {"amount": 5000, "currency": "usd", "source": "tok_visa"}""", "'currency' must be an ISO 4217"),
                Arguments.of("currency unknown", """
                        {"amount": 5000, "currency": "ZZZ", "source": "tok_visa"}""", "'currency' must be an ISO 4217"),
                Arguments.of("currency of four letters", """
                        {"amount": 5000, "currency": "USDX", "source": "tok_visa"}""", "'currency' must be an ISO 4217"),
                // ISO 4217's numeric code is read as the text "840", which is not a letter code.
                Arguments.of("currency as a number", """
                        {"amount": 5000, "currency": 840, "source": "tok_visa"}""", "'currency' must be an ISO 4217"),
                Arguments.of("source missing", """
                        {"amount": 5000, "currency": "USD"}""", "'source' must not be blank"),
                Arguments.of("source blank", """
                        {"amount": 5000, "currency": "USD", "source": "  "}""", "'source' must not be blank"),
                Arguments.of(
                        "source longer than 64 characters",
                        """
                        {"amount": 5000, "currency": "USD", "source": "%s"}""".formatted("t".repeat(65)),
                        "'source' must be at most 64 characters"),
                Arguments.of("body malformed", """
                        {"amount": 5000, "currency": """, "not well-formed JSON"),
                Arguments.of("body not an object", "[5000, \"USD\", \"tok_visa\"]", "must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidBodyIsRejectedWithProblemNamingTheFault(String kind, String body, String expectedDetail)
            throws Exception {
        expectInvalidRequest(this.mvc.perform(postAs(ALICE, "/payments", body)), expectedDetail);
    }

    @Test
    void severalFaultsAreAllListedByField() throws Exception {
        this.mvc
                .perform(postAs(ALICE, "/payments", """
                        {"amount": 0, "currency": "usd", "source": ""}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(contains("amount", "currency", "source")));
    }

    @Test
    void missingBodyIsRejectedWithProblem() throws Exception {
        expectInvalidRequest(
                this.mvc.perform(post("/payments")
                        .with(httpBasic(ALICE, "alice-secret"))
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(MediaType.APPLICATION_JSON)),
                "request body is missing");
    }

    @Test
    void bodyOfAnotherContentTypeIsRejectedWithProblem() throws Exception {
        expectInvalidRequest(
                this.mvc.perform(postAs(ALICE, "/payments", paymentJson(5000)).contentType(MediaType.TEXT_PLAIN)),
                "must be JSON (Content-Type: application/json), not text/plain");
    }

    @Test
    void refundOfNonPositiveAmountIsRejectedWithProblem() throws Exception {
        String paymentId = createPayment(ALICE, 5000);
        expectInvalidRequest(
                this.mvc.perform(postAs(ALICE, "/payments/" + paymentId + "/refunds", refundJson(0))),
                "'amount' must be greater than 0");
    }

    private static void expectInvalidRequest(ResultActions result, String expectedDetail) throws Exception {
        result.andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(Problems.INVALID_REQUEST.toString()))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").value(containsString(expectedDetail)))
                .andExpect(jsonPath("$.trace").doesNotExist())
                .andExpect(content().string(not(containsString("Exception"))))
                .andExpect(content().string(not(containsString("tools.jackson"))));
    }
}
