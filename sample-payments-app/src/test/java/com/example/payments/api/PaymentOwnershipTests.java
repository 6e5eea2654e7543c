package com.example.payments.api;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * A user sees and refunds only their own payments; another user's payment is answered as if it did not exist.
 */
class PaymentOwnershipTests extends ApiTestSupport {

    @Test
    void ownerReadsTheirPayment() throws Exception {
        String id = createPayment(ALICE, 1234);
        this.mvc
                .perform(getAs(ALICE, "/payments/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(id))
                .andExpect(jsonPath("$.amount").value(1234))
                .andExpect(jsonPath("$.currency").value("USD"))
                .andExpect(jsonPath("$.source").value("tok_visa"))
                .andExpect(jsonPath("$.status").value("SUCCEEDED"))
                .andExpect(jsonPath("$.createdAt").isString());
    }

    @Test
    void otherUsersPaymentIsNotFound() throws Exception {
        String id = createPayment(ALICE, 5000);
        this.mvc
                .perform(getAs(BOB, "/payments/" + id))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(Problems.NOT_FOUND.toString()));
    }

    @Test
    void listShowsOnlyTheCallersPayments() throws Exception {
        String alices = createPayment(ALICE, 5000);
        String bobs = createPayment(BOB, 5000);
        this.mvc
                .perform(getAs(BOB, "/payments"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id").value(hasItem(bobs)))
                .andExpect(jsonPath("$[*].id").value(not(hasItem(alices))));
    }

    @Test
    void otherUsersPaymentCannotBeRefunded() throws Exception {
        String id = createPayment(ALICE, 5000);
        this.mvc
                .perform(postAs(BOB, "/payments/" + id + "/refunds", refundJson(100)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(Problems.NOT_FOUND.toString()));
        this.mvc
                .perform(getAs(ALICE, "/payments/" + id))
                .andExpect(jsonPath("$.status").value("SUCCEEDED"));
    }

    @Test
    void idThatIsNotUuidIsNotFound() throws Exception {
        this.mvc
                .perform(getAs(ALICE, "/payments/not-a-uuid"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(Problems.NOT_FOUND.toString()));
    }
}
