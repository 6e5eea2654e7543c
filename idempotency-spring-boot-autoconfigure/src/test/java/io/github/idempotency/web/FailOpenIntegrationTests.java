package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * With {@code FAIL_OPEN}, a store outage runs the handler unprotected and says so in the log.
 */
@SpringBootTest(
        classes = WebTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "idempotency.store.failure-mode=fail-open")
@ExtendWith(OutputCaptureExtension.class)
class FailOpenIntegrationTests extends WebIntegrationTestSupport {

    @Test
    void storeOutageRunsHandlerUnprotectedAndLogsOneWarningForTheOutage(CapturedOutput output) throws Exception {
        this.store.claimFails = true;
        int runs = this.endpoints.runs("orders");
        TestHttpClient client = client();
        HttpResponse<byte[]> first = client.post("/orders", "fail-open-key", "{\"amount\":1}", "alice");
        HttpResponse<byte[]> second = client.post("/orders", "fail-open-key", "{\"amount\":1}", "alice");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(this.endpoints.runs("orders")).isEqualTo(runs + 2);
        assertThat(output.getOut()
                        .lines()
                        .filter((line) -> line.contains(" WARN ")
                                && line.contains("FAIL_OPEN: operations run unprotected while it fails) is failing")))
                .hasSize(1);
    }
}
