package com.example.payments.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * {@code GET /ledger}: the caller's balances and entries, booked by the ledger consumer once a payment's event
 * has been relayed to it (every poll interval, in the background).
 */
class LedgerApiTests extends ApiTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void paymentShowsInTheCallersLedgerOnceItsEventIsConsumed() throws Exception {
        String paymentId = createPayment(ALICE, 4242);
        String createdAt = JsonPath.read(
                this.mvc
                        .perform(getAs(ALICE, "/payments/" + paymentId))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.createdAt");

        Map<String, Object> entry = awaitEntry(ALICE, paymentId);

        assertThat(entry)
                .containsOnlyKeys("eventId", "paymentId", "kind", "amount", "currency", "at")
                .containsEntry("paymentId", paymentId)
                .containsEntry("kind", "PAYMENT")
                .containsEntry("amount", 4242)
                .containsEntry("currency", "USD")
                .containsEntry("at", createdAt);
        assertThat(UUID.fromString((String) entry.get("eventId"))).isNotNull();
    }

    @Test
    void balanceIsTheSumOfTheEntriesOldestFirst() throws Exception {
        String paymentId = createPayment(ALICE, 1000);
        awaitEntry(ALICE, paymentId);

        String ledger = ledgerOf(ALICE);
        List<Integer> amounts = JsonPath.read(ledger, "$.entries[*].amount");
        List<String> times = JsonPath.read(ledger, "$.entries[*].at");
        Map<String, Object> balances = JsonPath.read(ledger, "$.balances");

        assertThat(balances).containsOnlyKeys("USD");
        assertThat(((Number) balances.get("USD")).longValue())
                .isEqualTo(amounts.stream().mapToLong(Integer::longValue).sum());
        assertThat(times).isSortedAccordingTo(String::compareTo);
    }

    @Test
    void ledgerHoldsOnlyTheCallersEntries() throws Exception {
        String bobsPayment = createPayment(BOB, 777);
        awaitEntry(BOB, bobsPayment);

        List<String> alicesPayments = JsonPath.read(ledgerOf(ALICE), "$.entries[*].paymentId");

        assertThat(alicesPayments).doesNotContain(bobsPayment);
    }

    @Test
    void ledgerWithoutCredentialsIsUnauthorized() throws Exception {
        this.mvc
                .perform(get("/ledger"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    private Map<String, Object> awaitEntry(String user, String paymentId) {
        return await().atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            List<Map<String, Object>> entries =
                                    JsonPath.read(ledgerOf(user), "$.entries[?(@.paymentId == '" + paymentId + "')]");
                            assertThat(entries)
                                    .as("entries of payment %s", paymentId)
                                    .hasSizeLessThanOrEqualTo(1);
                            return entries.isEmpty() ? null : entries.get(0);
                        },
                        entry -> entry != null);
    }

    private String ledgerOf(String user) throws Exception {
        return this.mvc
                .perform(getAs(user, "/ledger"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }
}
