package io.github.idempotency.transactional;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.transactional.TransactionalTestApplication.OrderEndpoints;
import io.github.idempotency.transactional.TransactionalTestApplication.Orders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The transactional mode over real HTTP: the claim, the handler's business rows and the recorded response
 * commit or roll back together. Subclasses run it on each database.
 */
abstract class TransactionalModeTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    OrderEndpoints endpoints;

    @Autowired
    Orders orders;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void committedRequestKeepsBusinessRowAndRecordAndReplaysIt() throws Exception {
        String ref = newRef();
        HttpResponse<byte[]> first = post("/orders/" + ref, ref);
        HttpResponse<byte[]> retry = post("/orders/" + ref, ref);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(this.orders.count(ref)).isEqualTo(1);
        assertThat(records(ref)).isEqualTo(1);
    }

    @Test
    void uncaughtExceptionRollsBackBusinessRowAndClaimSoRetryRunsAtOnce() throws Exception {
        String ref = newRef();
        int runs = this.endpoints.runs.get();
        assertThat(post("/orders/" + ref + "/crash", ref).statusCode()).isEqualTo(500);
        assertThat(this.orders.count(ref)).isZero();
        assertThat(records(ref)).isZero();
        // No lease to wait out: the retry runs immediately instead of getting 409.
        assertThat(post("/orders/" + ref + "/crash", ref).statusCode()).isEqualTo(500);
        assertThat(this.endpoints.runs.get()).isEqualTo(runs + 2);
    }

    @Test
    void releasedOutcomeRollsBackBusinessRow() throws Exception {
        String ref = newRef();
        assertThat(post("/orders/" + ref + "/unavailable", ref).statusCode()).isEqualTo(503);
        assertThat(this.orders.count(ref)).isZero();
        assertThat(records(ref)).isZero();
    }

    @Test
    void declineThrownInsideTheTransactionIsRecordedWhileItsWorkRollsBack() throws Exception {
        String ref = newRef();
        int runs = this.endpoints.runs.get();
        HttpResponse<byte[]> declined = post("/orders/" + ref + "/declined", ref);
        HttpResponse<byte[]> retry = post("/orders/" + ref + "/declined", ref);
        assertThat(declined.statusCode()).isEqualTo(402);
        assertThat(retry.statusCode()).isEqualTo(402);
        assertThat(retry.body()).isEqualTo(declined.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(this.orders.count(ref)).isZero();
        assertThat(this.endpoints.runs.get()).isEqualTo(runs + 1);
    }

    int records(String key) {
        return this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM idempotency_record WHERE idempotency_key = ?", Integer.class, key);
    }

    static String newRef() {
        return UUID.randomUUID().toString();
    }

    HttpResponse<byte[]> post(String path, String key) throws Exception {
        return this.http.send(request(path, key), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpRequest request(String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }
}
