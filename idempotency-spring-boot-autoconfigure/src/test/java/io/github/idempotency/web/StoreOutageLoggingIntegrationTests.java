package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A store outage refuses every request, but its log stays a few lines however many requests it refuses: the
 * first failure with its stack trace, then counts, and one line when the store is back.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class StoreOutageLoggingIntegrationTests extends WebIntegrationTestSupport {

    private static final String SUBJECT = "Idempotency store (operations are refused while it fails)";

    @Test
    void outageRefusingManyRequestsLogsOneStackTraceThenOneLineWhenTheStoreIsBack(CapturedOutput output)
            throws Exception {
        TestHttpClient client = client();
        this.store.claimFails = true;
        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> refused = client.post("/orders", "outage-" + i, "{\"amount\":1}", "alice");
            assertThat(refused.statusCode()).isEqualTo(503);
        }
        this.store.heal();
        HttpResponse<byte[]> afterOutage = client.post("/orders", "after-outage", "{\"amount\":1}", "alice");

        assertThat(afterOutage.statusCode()).isEqualTo(201);
        List<String> lines = output.getOut().lines().toList();
        assertThat(lines)
                .filteredOn((line) -> line.contains(" WARN ") && line.contains(SUBJECT + " is failing"))
                .hasSize(1);
        assertThat(lines)
                .filteredOn((line) -> line.contains(SUBJECT + " is still failing"))
                .isEmpty();
        assertThat(lines)
                .filteredOn((line) -> line.contains(" INFO ") && line.contains(SUBJECT + " is back after 20 failures"))
                .hasSize(1);
        // One stack trace: the store's exception is printed once, with the first failure.
        assertThat(lines)
                .filteredOn((line) -> line.startsWith("io.github.idempotency.IdempotencyStoreException"))
                .hasSize(1);
    }
}
