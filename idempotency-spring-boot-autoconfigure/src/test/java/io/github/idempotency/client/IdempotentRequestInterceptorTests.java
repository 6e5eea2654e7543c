package io.github.idempotency.client;

import static io.github.idempotency.client.ScriptedHttpServer.Answer.created;
import static io.github.idempotency.client.ScriptedHttpServer.Answer.dropConnection;
import static io.github.idempotency.client.ScriptedHttpServer.Answer.inProgress;
import static io.github.idempotency.client.ScriptedHttpServer.Answer.of;
import static io.github.idempotency.client.ScriptedHttpServer.Answer.stallUntilNextRequest;
import static io.github.idempotency.client.ScriptedHttpServer.Answer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idempotency.client.ScriptedHttpServer.Received;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * The interceptor on a real {@link RestClient} against a real HTTP server: what it retries, with which
 * key, after how long, and what it hands back.
 */
class IdempotentRequestInterceptorTests {

    private static final String PAYMENT = "{\"amount\":5000,\"currency\":\"USD\",\"source\":\"tok_visa\"}";

    /** Short waits so the tests that do not measure them run fast. */
    private static final IdempotentRetrySettings FAST =
            settings(5, Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(10));

    private final ScriptedHttpServer server = new ScriptedHttpServer();

    private final List<Integer> attemptStatuses = Collections.synchronizedList(new ArrayList<>());

    IdempotentRequestInterceptorTests() throws Exception {}

    @AfterEach
    void stopServer() {
        this.server.close();
    }

    @Test
    void serviceUnavailableWithRetryAfterIsRetriedOnceAfterThatDelayWithTheSameKey() {
        this.server.answering(status(503, "Retry-After", "2"), created("{\"id\":\"p1\"}"));

        ResponseEntity<String> answer = post(client(IdempotentRetrySettings.defaults()));

        assertThat(answer.getStatusCode().value()).isEqualTo(201);
        assertThat(answer.getBody()).isEqualTo("{\"id\":\"p1\"}");
        List<Received> attempts = this.server.received();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).key()).isNotBlank().isEqualTo(attempts.get(1).key());
        assertThat(attempts).allSatisfy((attempt) -> assertThat(attempt.body()).isEqualTo(PAYMENT));
        assertThat(gap(attempts, 0)).isBetween(Duration.ofMillis(1900), Duration.ofMillis(4000));
        assertThat(IdempotentResponses.key(answer)).contains(attempts.get(0).key());
    }

    @Test
    void retryAfterAsHttpDateIsHonoured() {
        // An HTTP-date has whole seconds: four seconds ahead is between three and four seconds away, at least
        // two by the time the first answer is read on a busy machine.
        String inFourSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(4).truncatedTo(ChronoUnit.SECONDS));
        this.server.answering(status(503, "Retry-After", inFourSeconds), created("{}"));

        post(client(FAST));

        assertThat(gap(this.server.received(), 0)).isBetween(Duration.ofMillis(1900), Duration.ofMillis(5000));
    }

    @Test
    void badRequestIsReturnedAfterOneAttempt() {
        this.server.answering(of(400, "application/problem+json", "{\"title\":\"bad\"}"), created("{}"));

        assertThatExceptionOfType(HttpClientErrorException.BadRequest.class)
                .isThrownBy(() -> post(client(FAST)))
                .satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).isEqualTo("{\"title\":\"bad\"}"));
        assertThat(this.server.received()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 404, 422, 500, 501})
    void otherAnswersAreFinal(int status) {
        this.server.answering(status(status), created("{}"));

        assertThatExceptionOfType(RestClientResponseException.class)
                .isThrownBy(() -> post(client(FAST)))
                .satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(status));
        assertThat(this.server.received()).hasSize(1);
    }

    @Test
    void conflictOfTheHandlerItselfIsFinalAndKeepsItsBody() {
        String businessConflict = "{\"type\":\"https://example.com/problems/seat-taken\",\"status\":409}";
        this.server.answering(of(409, "application/problem+json", businessConflict), created("{}"));

        assertThatExceptionOfType(HttpClientErrorException.Conflict.class)
                .isThrownBy(() -> post(client(FAST)))
                .satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).isEqualTo(businessConflict));
        assertThat(this.server.received()).hasSize(1);
    }

    @Test
    void inProgressConflictIsRetriedWithTheSameKeyUntilTheReplay() {
        this.server.answering(inProgress("0"), created("{\"id\":\"p1\"}", "Idempotent-Replayed", "true"));

        ResponseEntity<String> answer = post(client(FAST));

        assertThat(answer.getStatusCode().value()).isEqualTo(201);
        assertThat(IdempotentResponses.isReplayed(answer)).isTrue();
        assertSameKeyOnEveryAttempt(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 502, 503, 504})
    void transientAnswersAreRetriedWithTheSameKey(int status) {
        this.server.answering(status(status), created("{\"id\":\"p1\"}"));

        ResponseEntity<String> answer = post(client(FAST));

        assertThat(answer.getStatusCode().value()).isEqualTo(201);
        assertThat(IdempotentResponses.isReplayed(answer)).isFalse();
        assertSameKeyOnEveryAttempt(2);
    }

    @Test
    void readTimeoutIsRetriedWithTheSameKey() {
        this.server.answering(stallUntilNextRequest(), created("{\"id\":\"p1\"}"));

        // Long enough for the second attempt's own answer on a busy machine: a third attempt would fail the test.
        ResponseEntity<String> answer = post(client(FAST, Duration.ofSeconds(1)));

        assertThat(answer.getBody()).isEqualTo("{\"id\":\"p1\"}");
        assertSameKeyOnEveryAttempt(2);
    }

    @Test
    void droppedConnectionIsRetriedWithTheSameKey() {
        this.server.answering(dropConnection(), created("{\"id\":\"p1\"}"));

        ResponseEntity<String> answer = post(client(FAST));

        assertThat(answer.getBody()).isEqualTo("{\"id\":\"p1\"}");
        assertSameKeyOnEveryAttempt(2);
    }

    @Test
    void nextLogicalCallGetsAFreshKey() {
        this.server.answering(status(503), created("{}"), status(503), created("{}"));
        RestClient client = client(FAST);

        post(client);
        post(client);

        List<Received> attempts = this.server.received();
        assertThat(attempts).hasSize(4);
        assertThat(attempts.get(0).key()).isEqualTo(attempts.get(1).key());
        assertThat(attempts.get(2).key()).isEqualTo(attempts.get(3).key());
        assertThat(attempts.get(0).key()).isNotEqualTo(attempts.get(2).key());
    }

    @Test
    void callerSuppliedKeyIsKeptOnEveryAttempt() {
        this.server.answering(status(503), inProgress("0"), created("{}"));

        ResponseEntity<String> answer = client(FAST)
                .post()
                .uri(this.server.uri("/payments"))
                .header("Idempotency-Key", "order-42-payment")
                .contentType(MediaType.APPLICATION_JSON)
                .body(PAYMENT)
                .retrieve()
                .toEntity(String.class);

        assertThat(this.server.received())
                .hasSize(3)
                .allSatisfy((attempt) -> assertThat(attempt.key()).isEqualTo("order-42-payment"));
        assertThat(IdempotentResponses.key(answer)).contains("order-42-payment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "PATCH", "DELETE"})
    void otherUnsafeMethodsAreKeyedAndRetried(String method) {
        this.server.answering(status(503), status(204));

        client(FAST)
                .method(HttpMethod.valueOf(method))
                .uri(this.server.uri("/payments/p1"))
                .retrieve()
                .toBodilessEntity();

        assertThat(this.server.received())
                .allSatisfy((attempt) -> assertThat(attempt.method()).isEqualTo(method));
        assertSameKeyOnEveryAttempt(2);
    }

    @Test
    void getIsNeitherKeyedNorRetried() {
        this.server.answering(status(503), created("{}"));

        assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
                .isThrownBy(() -> client(FAST)
                        .get()
                        .uri(this.server.uri("/payments"))
                        .retrieve()
                        .toEntity(String.class));
        assertThat(this.server.received())
                .singleElement()
                .satisfies((attempt) -> assertThat(attempt.key()).isNull());
    }

    @Test
    void retriesEndAfterMaxAttemptsWithTheLastAnswerIntact() {
        this.server.answering(
                of(503, "application/problem+json", "{\"n\":1}"),
                of(503, "application/problem+json", "{\"n\":2}"),
                of(503, "application/problem+json", "{\"n\":3}"),
                created("{}"));
        IdempotentRetrySettings threeAttempts =
                settings(3, Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(10));

        assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
                .isThrownBy(() -> post(client(threeAttempts)))
                .satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).isEqualTo("{\"n\":3}"));
        assertSameKeyOnEveryAttempt(3);
    }

    @Test
    void retriesEndWhenTheNextWaitWouldPassTheTotalTime() {
        this.server.answering(status(503, "Retry-After", "1"));
        IdempotentRetrySettings underThreeSeconds =
                settings(10, Duration.ofMillis(20), Duration.ofMillis(2900), Duration.ofSeconds(10));
        long start = System.nanoTime();

        assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
                .isThrownBy(() -> post(client(underThreeSeconds)));

        // Attempts at about 0 s, 1 s and 2 s; a fourth would start at 3 s, past the total time.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
        assertSameKeyOnEveryAttempt(3);
    }

    @Test
    void retryAfterBeyondTheTotalTimeEndsTheRetriesAtOnce() {
        this.server.answering(status(503, "Retry-After", "120"), created("{}"));
        IdempotentRetrySettings honouringTwoMinutes =
                settings(5, Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofMinutes(2));
        long start = System.nanoTime();

        assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
                .isThrownBy(() -> post(client(honouringTwoMinutes)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(this.server.received()).hasSize(1);
    }

    @Test
    void retryAfterLongerThanTheLongestHonouredIsShortened() {
        this.server.answering(status(503, "Retry-After", "60"), created("{}"));
        IdempotentRetrySettings honouringOneSecond =
                settings(5, Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofSeconds(1));

        post(client(honouringOneSecond));

        assertThat(gap(this.server.received(), 0)).isBetween(Duration.ofMillis(950), Duration.ofMillis(3000));
    }

    @Test
    void withoutRetryAfterTheWaitsGrowExponentially() {
        this.server.answering(status(503), status(503), status(503), created("{}"));
        IdempotentRetrySettings fromQuarterSecond =
                settings(5, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(10));

        post(client(fromQuarterSecond));

        List<Received> attempts = this.server.received();
        assertThat(attempts).hasSize(4);
        assertThat(gap(attempts, 0)).isGreaterThanOrEqualTo(Duration.ofMillis(240));
        assertThat(gap(attempts, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(490));
        assertThat(gap(attempts, 2)).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        assertThat(gap(attempts, 2)).isLessThan(Duration.ofMillis(3000));
    }

    @Test
    void ioErrorOnEveryAttemptIsThrownAfterTheLastOne() {
        this.server.answering(dropConnection());
        IdempotentRetrySettings twoAttempts =
                settings(2, Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(10));

        assertThatExceptionOfType(ResourceAccessException.class)
                .isThrownBy(() -> post(client(twoAttempts)))
                .satisfies((ex) -> assertThat(ex.getCause().getSuppressed()).hasSize(1));
        assertSameKeyOnEveryAttempt(2);
    }

    @Test
    void interceptorsAfterTheCustomizerRunOnEveryAttempt() {
        this.server.answering(status(429), status(503), created("{}"));

        post(client(FAST));

        assertThat(this.attemptStatuses).containsExactly(429, 503, 201);
    }

    @Test
    void applyingTheCustomizerTwiceRetriesOnce() {
        this.server.answering(status(503));
        IdempotentRestClientCustomizer customizer = new IdempotentRestClientCustomizer(new IdempotentRequestInterceptor(
                settings(2, Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(10))));
        RestClient client = RestClient.builder()
                .requestFactory(requestFactory(Duration.ofSeconds(10)))
                .apply(customizer)
                .apply(customizer)
                .build();

        assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(() -> post(client));
        assertThat(this.server.received()).hasSize(2);
    }

    /** Settings with a backoff that doubles from the given first wait, without jitter. */
    private static IdempotentRetrySettings settings(
            int maxAttempts, Duration initialBackoff, Duration maxTotalTime, Duration maxRetryAfter) {
        return new IdempotentRetrySettings(
                "Idempotency-Key",
                maxAttempts,
                initialBackoff,
                2.0,
                initialBackoff.multipliedBy(8),
                Duration.ZERO,
                maxTotalTime,
                maxRetryAfter);
    }

    private ResponseEntity<String> post(RestClient client) {
        return client.post()
                .uri(this.server.uri("/payments"))
                .contentType(MediaType.APPLICATION_JSON)
                .body(PAYMENT)
                .retrieve()
                .toEntity(String.class);
    }

    private void assertSameKeyOnEveryAttempt(int attempts) {
        List<Received> received = this.server.received();
        assertThat(received).hasSize(attempts);
        assertThat(received.get(0).key()).isNotBlank();
        assertThat(received)
                .allSatisfy((attempt) ->
                        assertThat(attempt.key()).isEqualTo(received.get(0).key()));
    }

    private RestClient client(IdempotentRetrySettings settings) {
        return client(settings, Duration.ofSeconds(10));
    }

    private RestClient client(IdempotentRetrySettings settings, Duration readTimeout) {
        return RestClient.builder()
                .requestFactory(requestFactory(readTimeout))
                .apply(new IdempotentRestClientCustomizer(new IdempotentRequestInterceptor(settings)))
                .requestInterceptor((request, body, execution) -> {
                    var response = execution.execute(request, body);
                    this.attemptStatuses.add(response.getStatusCode().value());
                    return response;
                })
                .build();
    }

    private static JdkClientHttpRequestFactory requestFactory(Duration readTimeout) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(readTimeout);
        return factory;
    }

    /** Time between the arrival of the attempt at {@code index} and the next one. */
    private static Duration gap(List<Received> attempts, int index) {
        return Duration.ofNanos(
                attempts.get(index + 1).nanoTime() - attempts.get(index).nanoTime());
    }
}
