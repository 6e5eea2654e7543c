package com.example.payments;

import static com.example.payments.PaymentsHttpClient.ALICE;
import static com.example.payments.PaymentsHttpClient.assertExecuted;
import static com.example.payments.PaymentsHttpClient.assertProblem;
import static com.example.payments.PaymentsHttpClient.json;
import static com.example.payments.PaymentsHttpClient.newKey;
import static com.example.payments.PaymentsHttpClient.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app with the {@code redis} profile while Redis goes away and comes back: a {@code redis-server} that
 * this test starts on a free port, kills and starts again on the same port, or pauses and resumes, with the
 * profile's own timeouts. Payments stay in the embedded H2 database, which is not affected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("redis")
@DirtiesContext
class RedisOutageIT {

    /** The profile's command timeout (2s), and time to spare on a slow machine. */
    private static final Duration OUTAGE_ANSWER_BOUND = Duration.ofSeconds(10);

    /** How long the app's Redis client may take to reconnect by itself once Redis is back. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

    private static RedisServerProcess redis;

    private static boolean redisDown;

    private static boolean redisPaused;

    private final PaymentsHttpClient client = new PaymentsHttpClient(this::baseUri);

    @LocalServerPort
    private int port;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @DynamicPropertySource
    static void redisProperties(DynamicPropertyRegistry registry) {
        RedisTestProperties.register(registry, () -> redis.configuration());
    }

    @AfterEach
    void bringRedisBack() {
        if (redisPaused) {
            resumeRedis();
        }
        if (redisDown) {
            startRedisAgain();
        }
    }

    @Test
    void redisDownAnswers503AndCreatesNoPayment() throws Exception {
        assertPaymentGoesThrough();
        int before = this.client.paymentCount(ALICE);
        killRedis();

        assertRefusedPromptly(newKey());

        assertThat(this.client.paymentCount(ALICE)).isEqualTo(before);
    }

    @Test
    void redisBackOnSamePortServesNewAndRefusedKeysWithoutRestart() throws Exception {
        assertPaymentGoesThrough();
        int before = this.client.paymentCount(ALICE);
        String refusedKey = newKey();
        killRedis();
        assertRefusedPromptly(refusedKey);

        startRedisAgain();

        HttpResponse<byte[]> newKeyPayment = postUntilRedisAnswers(newKey());
        HttpResponse<byte[]> refusedKeyPayment =
                this.client.post(ALICE, "/payments", refusedKey, payment(5000, "tok_visa"));
        assertExecuted(newKeyPayment, 201);
        // The refused claim timed out in the client's reconnection buffer and was dropped, not sent when Redis
        // came back: its key is new to the restarted server.
        assertExecuted(refusedKeyPayment, 201);
        assertThat(this.client.paymentCount(ALICE)).isEqualTo(before + 2);
    }

    @Test
    void redisNotAnsweringAnswers503WithinCommandTimeoutAndCreatesNoPayment() throws Exception {
        assertPaymentGoesThrough();
        int before = this.client.paymentCount(ALICE);
        String key = newKey();
        pauseRedis();

        assertRefusedPromptly(key);

        resumeRedis();
        assertThat(this.client.paymentCount(ALICE)).isEqualTo(before);
        // The claim timed out on the client, but its SET NX was already in Redis's socket buffer and ran on
        // resume: the key stays in progress for a lease, with no request behind it, so the retry the 503
        // invited gets 409 (never a second charge), and a retry after the lease runs the payment.
        HttpResponse<byte[]> retry = this.client.post(ALICE, "/payments", key, payment(5000, "tok_visa"));
        assertProblem(retry, 409);
        assertThat(this.client.paymentCount(ALICE)).isEqualTo(before);
    }

    /** Posts a payment while Redis is out: 503, store unavailable, within the profile's timeouts. */
    private void assertRefusedPromptly(String key) throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = this.client.post(ALICE, "/payments", key, payment(5000, "tok_visa"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertProblem(response, 503);
        assertThat(json(response).get("type").asString()).endsWith("/store-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(took).as("answered within the profile's Redis timeouts").isLessThan(OUTAGE_ANSWER_BOUND);
    }

    /** Before an outage: the app is connected to Redis, as it is when Redis goes away in production. */
    private void assertPaymentGoesThrough() throws Exception {
        assertExecuted(this.client.post(ALICE, "/payments", newKey(), payment(100, "tok_visa")), 201);
    }

    /** Posts a payment with a key until the app's Redis client has reconnected by itself. */
    private HttpResponse<byte[]> postUntilRedisAnswers(String key) throws Exception {
        long deadline = System.nanoTime() + RECOVERY_BOUND.toNanos();
        HttpResponse<byte[]> response = this.client.post(ALICE, "/payments", key, payment(5000, "tok_visa"));
        while (response.statusCode() == 503) {
            assertThat(System.nanoTime())
                    .as("still 503 %s after Redis came back", RECOVERY_BOUND)
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(100);
            response = this.client.post(ALICE, "/payments", key, payment(5000, "tok_visa"));
        }
        return response;
    }

    private static void killRedis() throws InterruptedException {
        redis.kill();
        redisDown = true;
    }

    private static void pauseRedis() {
        redis.pause();
        redisPaused = true;
    }

    private static void resumeRedis() {
        redis.resume();
        redisPaused = false;
    }

    private static void startRedisAgain() {
        redis.restart();
        redisDown = false;
    }

    private URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
