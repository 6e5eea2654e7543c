package com.example.payments.api;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Refunds give back part or all of a payment, never more.
 */
class RefundApiTests extends ApiTestSupport {

    @Test
    void refundWithinRemainingIsCreatedAndCanBeRead() throws Exception {
        String paymentId = createPayment(ALICE, 5000);
        String body = this.mvc
                .perform(postAs(ALICE, "/payments/" + paymentId + "/refunds", refundJson(1000)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.paymentId").value(paymentId))
                .andExpect(jsonPath("$.amount").value(1000))
                .andExpect(jsonPath("$.createdAt").isString())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String location = "/payments/" + paymentId + "/refunds/" + JsonPath.read(body, "$.id");
        this.mvc
                .perform(getAs(ALICE, location))
                .andExpect(status().isOk())
                .andExpect(content().json(body));
        this.mvc
                .perform(getAs(ALICE, "/payments/" + paymentId))
                .andExpect(jsonPath("$.status").value("PARTIALLY_REFUNDED"));
    }

    @Test
    void refundCreatedAnswerLocatesTheRefund() throws Exception {
        String paymentId = createPayment(ALICE, 5000);
        this.mvc
                .perform(postAs(ALICE, "/payments/" + paymentId + "/refunds", refundJson(1000)))
                .andExpect(header().string("Location", containsString("/payments/" + paymentId + "/refunds/")));
    }

    @Test
    void refundOverRemainingIsUnprocessable() throws Exception {
        String paymentId = createPayment(ALICE, 5000);
        this.mvc
                .perform(postAs(ALICE, "/payments/" + paymentId + "/refunds", refundJson(3000)))
                .andExpect(status().isCreated());
        this.mvc
                .perform(postAs(ALICE, "/payments/" + paymentId + "/refunds", refundJson(2001)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(Problems.REFUND_EXCEEDS_REMAINING.toString()))
                .andExpect(jsonPath("$.detail").value(containsString("2000 USD still refundable")));
    }

    @Test
    void refundOfTheWholeRemainderMarksPaymentRefunded() throws Exception {
        String paymentId = createPayment(ALICE, 5000);
        this.mvc.perform(postAs(ALICE, "/payments/" + paymentId + "/refunds", refundJson(1000)));
        this.mvc
                .perform(postAs(ALICE, "/payments/" + paymentId + "/refunds", refundJson(4000)))
                .andExpect(status().isCreated());
        this.mvc
                .perform(getAs(ALICE, "/payments/" + paymentId))
                .andExpect(jsonPath("$.status").value("REFUNDED"));
        this.mvc
                .perform(postAs(ALICE, "/payments/" + paymentId + "/refunds", refundJson(1)))
                .andExpect(status().isUnprocessableContent());
    }

    @Test
    void refundOfUnknownPaymentIsNotFound() throws Exception {
        this.mvc
                .perform(postAs(ALICE, "/payments/" + UUID.randomUUID() + "/refunds", refundJson(100)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(Problems.NOT_FOUND.toString()));
    }
}
