package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * Every HTTP answer of DESIGN §3 and every recording decision of §5, over real HTTP against an embedded
 * Tomcat, so what is checked is what a client receives.
 */
@SpringBootTest(
        classes = WebTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"idempotency.max-response-size=1KB", "idempotency.max-request-size=2KB"})
class IdempotentEndpointIntegrationTests extends WebIntegrationTestSupport {

    private static final String ORDER = "{\"amount\":5000}";

    @Test
    void firstRequestRunsHandlerAndSendsItsResponse() throws Exception {
        int before = this.endpoints.runs("orders");
        HttpResponse<byte[]> response = post("/orders", newKey(), ORDER);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(this.endpoints.runs("orders")).isEqualTo(before + 1);
        assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(response.body().length));
    }

    @Test
    void retryWithSameKeyReplaysStatusHeadersAndBodyByteForByte() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> first = post("/orders", key, ORDER);
        int runs = this.endpoints.runs("orders");
        HttpResponse<byte[]> retry = post("/orders", key, ORDER);
        assertThat(this.endpoints.runs("orders")).isEqualTo(runs);
        assertThat(retry.statusCode()).isEqualTo(first.statusCode());
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.headers().firstValue("Location"))
                .isEqualTo(first.headers().firstValue("Location"));
        assertThat(retry.headers().firstValue("X-Order-Run"))
                .isEqualTo(first.headers().firstValue("X-Order-Run"));
        assertThat(retry.headers().allValues("X-Multi")).containsExactly("one", "two");
        assertThat(retry.headers().firstValue("Content-Type"))
                .isEqualTo(first.headers().firstValue("Content-Type"));
        assertThat(retry.headers().firstValue("Content-Length")).hasValue(Integer.toString(first.body().length));
    }

    @Test
    void replayLeavesOutSetCookieAndPerConnectionHeaders() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> first = post("/orders", key, ORDER);
        assertThat(first.headers().firstValue("Set-Cookie")).isPresent();
        HttpResponse<byte[]> retry = post("/orders", key, ORDER);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(retry.headers().allValues("Date")).hasSize(1);
        assertThat(retry.headers().allValues("Content-Length")).hasSize(1);
        assertThat(retry.headers().firstValue("Transfer-Encoding")).isEmpty();
    }

    @Test
    void retryWhileFirstIsRunningGets409WithRetryAfter() throws Exception {
        this.endpoints.slowStarted = new CountDownLatch(1);
        this.endpoints.slowRelease = new CountDownLatch(1);
        String key = newKey();
        CompletableFuture<HttpResponse<byte[]>> first = client().sendAsync(request("/slow", key, "alice")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(this.endpoints.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        HttpResponse<byte[]> duplicate = send(request("/slow", key, "alice")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        this.endpoints.slowRelease.countDown();
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertProblem(duplicate, "in-progress");
        assertThat(duplicate.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        (seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(this.endpoints.runs("slow")).isEqualTo(1);
    }

    @Test
    void sameKeyWithDifferentBodyGets422() throws Exception {
        String key = newKey();
        post("/orders", key, ORDER);
        HttpResponse<byte[]> reused = post("/orders", key, "{\"amount\":6000}");
        assertThat(reused.statusCode()).isEqualTo(422);
        assertProblem(reused, "key-reused");
    }

    @Test
    void missingKeyGets400() throws Exception {
        int runs = this.endpoints.runs("orders");
        HttpResponse<byte[]> response = send(request("/orders", null, "alice")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                .build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, "missing-key");
        assertThat(body(response)).contains("Idempotency-Key");
        assertThat(this.endpoints.runs("orders")).isEqualTo(runs);
    }

    @Test
    void emptyBlankTooLongOrControlCharacterKeysGet400() throws Exception {
        for (String key : new String[] {"\"\"", "\" \"", "k".repeat(256), "ab\tc"}) {
            HttpResponse<byte[]> response = post("/orders", key, ORDER);
            assertThat(response.statusCode()).as(key).isEqualTo(400);
            assertProblem(response, "invalid-key");
        }
    }

    @Test
    void keySentTwiceGets400() throws Exception {
        HttpResponse<byte[]> response = send(request("/orders", "one", "alice")
                .header("Idempotency-Key", "two")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                .build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, "invalid-key");
    }

    @Test
    void longestAcceptedKeyIsUsed() throws Exception {
        assertThat(post("/orders", "k".repeat(255), ORDER).statusCode()).isEqualTo(201);
    }

    @Test
    void quotedAndBareFormsAreTheSameKey() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> first = post("/orders", key, ORDER);
        HttpResponse<byte[]> retry = post("/orders", "\"" + key + "\"", ORDER);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(first.body());
    }

    @Test
    void requestBodyTooLargeGets413AndClaimsNothing() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> tooLarge = post("/refunds", key, "x".repeat(3000));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertProblem(tooLarge, "request-too-large");
        assertThat(post("/refunds", key, "small").statusCode()).isEqualTo(201);
    }

    @Test
    void formBodyTooLargeGets413AndClaimsNothing() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> tooLarge = postForm("/form", key, "item=" + "x".repeat(3000));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertProblem(tooLarge, "request-too-large");
        assertThat(body(postForm("/form", key, "item=book"))).contains("\"item\":\"book\"");
    }

    @Test
    void handlersOwnClientErrorIsRecordedAndReplayed() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> declined = post("/declined", key, "");
        HttpResponse<byte[]> retry = post("/declined", key, "");
        assertThat(declined.statusCode()).isEqualTo(402);
        assertThat(retry.statusCode()).isEqualTo(402);
        assertThat(retry.body()).isEqualTo(declined.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(this.endpoints.runs("declined")).isEqualTo(1);
    }

    @Test
    void validationFailureReleasesKeyForTheCorrectedRequest() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> invalid = post("/orders", key, "{\"amount\":-1}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> malformed = post("/orders", key, "{not json");
        assertThat(malformed.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> corrected = post("/orders", key, ORDER);
        assertThat(corrected.statusCode()).isEqualTo(201);
        assertThat(corrected.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void uncaughtExceptionReleasesKeyAndRetryRunsAgain() throws Exception {
        String key = newKey();
        int runs = this.endpoints.runs("crash");
        assertThat(post("/crash", key, "").statusCode()).isEqualTo(500);
        HttpResponse<byte[]> retry = post("/crash", key, "");
        assertThat(retry.statusCode()).isEqualTo(500);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(this.endpoints.runs("crash")).isEqualTo(runs + 2);
    }

    @Test
    void serverErrorFromExceptionHandlerReleasesKey() throws Exception {
        String key = newKey();
        int runs = this.endpoints.runs("backend-down");
        assertThat(post("/backend-down", key, "").statusCode()).isEqualTo(503);
        assertThat(post("/backend-down", key, "").statusCode()).isEqualTo(503);
        assertThat(this.endpoints.runs("backend-down")).isEqualTo(runs + 2);
    }

    @Test
    void tooManyRequestsReleasesKey() throws Exception {
        String key = newKey();
        int runs = this.endpoints.runs("rate-limited");
        assertThat(post("/rate-limited", key, "").statusCode()).isEqualTo(429);
        assertThat(post("/rate-limited", key, "").statusCode()).isEqualTo(429);
        assertThat(this.endpoints.runs("rate-limited")).isEqualTo(runs + 2);
    }

    @Test
    void errorPageWrittenBySendErrorIsRecordedAndReplayed() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> notFound = post("/missing-thing", key, "");
        HttpResponse<byte[]> retry = post("/missing-thing", key, "");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isNotEmpty();
        assertThat(retry.statusCode()).isEqualTo(404);
        assertThat(retry.body()).isEqualTo(notFound.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        // Set by the handler before the error was sent: the first client got it, and so does the retry.
        assertThat(notFound.headers().firstValue("X-Searched-For")).hasValue("thing");
        assertThat(retry.headers().firstValue("X-Searched-For")).hasValue("thing");
        assertThat(this.endpoints.runs("missing-thing")).isEqualTo(1);
    }

    @Test
    void responseLargerThanMaxResponseSizeIsSentButRetryIsToldItCannotBeReplayed() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> first = post("/large", key, "");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).hasSize(4096);
        HttpResponse<byte[]> retry = post("/large", key, "");
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Location"))
                .isEqualTo(first.headers().firstValue("Location"));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertProblem(retry, "response-not-replayable");
        assertThat(this.endpoints.runs("large")).isEqualTo(1);
    }

    @Test
    void safeMethodsAreNeverInterceptedEvenWhenAnnotated() throws Exception {
        int runs = this.endpoints.runs("list");
        HttpResponse<byte[]> first =
                send(request("/orders", null, "alice").GET().build());
        HttpResponse<byte[]> second =
                send(request("/orders", "same", "alice").GET().build());
        HttpResponse<byte[]> third =
                send(request("/orders", "same", "alice").GET().build());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(third.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(this.endpoints.runs("list")).isEqualTo(runs + 3);
    }

    @Test
    void extensionMethodsPassThroughLikeSafeOnesWhileUnsafeOnesAreClaimed() throws Exception {
        int runs = this.endpoints.runs("any-method");
        String key = newKey();
        HttpResponse<byte[]> first = send(request("/any-method", key, "alice")
                .method("PROPFIND", HttpRequest.BodyPublishers.noBody())
                .build());
        HttpResponse<byte[]> second = send(request("/any-method", key, "alice")
                .method("PROPFIND", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(this.endpoints.runs("any-method")).isEqualTo(runs + 2);
        HttpResponse<byte[]> posted = post("/any-method", key, "");
        HttpResponse<byte[]> postedAgain = post("/any-method", key, "");
        assertThat(postedAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(postedAgain.body()).isEqualTo(posted.body());
        assertThat(this.endpoints.runs("any-method")).isEqualTo(runs + 3);
    }

    @Test
    void unauthenticatedRequestClaimsNothing() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> unauthenticated = send(request("/orders", key, null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                .build());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        HttpResponse<byte[]> authenticated = post("/orders", key, ORDER);
        assertThat(authenticated.statusCode()).isEqualTo(201);
        assertThat(authenticated.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void anonymousCallersShareTheAnonymousScope() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> first = send(request("/public/anonymous", key, null)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        HttpResponse<byte[]> retry = send(request("/public/anonymous", key, null)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void sameKeyFromAnotherUserIsAnotherOperation() throws Exception {
        String key = newKey();
        int runs = this.endpoints.runs("orders");
        post("/orders", key, ORDER, "alice");
        HttpResponse<byte[]> bob = post("/orders", key, ORDER, "bob");
        assertThat(bob.statusCode()).isEqualTo(201);
        assertThat(bob.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(this.endpoints.runs("orders")).isEqualTo(runs + 2);
    }

    @Test
    void sameKeyOnAnotherEndpointIsAnotherOperation() throws Exception {
        String key = newKey();
        post("/orders", key, ORDER);
        HttpResponse<byte[]> refund = post("/refunds", key, ORDER);
        assertThat(refund.statusCode()).isEqualTo(201);
        assertThat(refund.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void userScopeSharesKeysAcrossEndpoints() throws Exception {
        String key = newKey();
        assertThat(post("/user-scoped/a", key, "").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> otherEndpoint = post("/user-scoped/b", key, "");
        assertThat(otherEndpoint.statusCode()).isEqualTo(422);
    }

    @Test
    void inheritedHandlerIsIdempotentOnlyInTheControllerAnnotatedSo() throws Exception {
        String key = newKey();
        // The annotated controller first, so that its endpoint is the one known when the other is asked.
        assertThat(post("/inherited/idempotent", key, "").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> replay = post("/inherited/idempotent", key, "");
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");

        HttpResponse<byte[]> withoutKey = send(request("/inherited/plain", null, "alice")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(withoutKey.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> withKey = post("/inherited/plain", key, "");
        assertThat(withKey.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(body(withKey)).isNotEqualTo(body(withoutKey));
        assertProblem(
                send(request("/inherited/idempotent", null, "alice")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build()),
                "missing-key");
    }

    @Test
    void optionalKeyRunsUnprotectedWithoutKey() throws Exception {
        int runs = this.endpoints.runs("optional");
        assertThat(send(request("/optional", null, "alice")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build())
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(request("/optional", null, "alice")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build())
                        .statusCode())
                .isEqualTo(200);
        assertThat(this.endpoints.runs("optional")).isEqualTo(runs + 2);
    }

    @Test
    void putAndDeleteAreProtected() throws Exception {
        String key = newKey();
        int puts = this.endpoints.runs("put");
        int deletes = this.endpoints.runs("delete");
        for (int i = 0; i < 2; i++) {
            send(request("/things/1", key, "alice")
                    .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                    .build());
            send(request("/things/1", key, "alice").DELETE().build());
        }
        HttpResponse<byte[]> replayedDelete =
                send(request("/things/1", key, "alice").DELETE().build());
        assertThat(replayedDelete.statusCode()).isEqualTo(204);
        assertThat(replayedDelete.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(this.endpoints.runs("put")).isEqualTo(puts + 1);
        assertThat(this.endpoints.runs("delete")).isEqualTo(deletes + 1);
    }

    @Test
    void formParametersAreFingerprintedAndStillReachTheHandler() throws Exception {
        String key = newKey();
        HttpResponse<byte[]> first = postForm("/form", key, "item=book");
        assertThat(body(first)).contains("\"item\":\"book\"");
        assertThat(postForm("/form", key, "item=book").headers().firstValue("Idempotent-Replayed"))
                .hasValue("true");
        assertThat(postForm("/form", key, "item=lamp").statusCode()).isEqualTo(422);
    }

    @Test
    void annotationTtlOverridesTheConfiguredTtl() throws Exception {
        this.store.completedTtls.clear();
        post("/short-ttl", newKey(), "");
        assertThat(this.store.completedTtls).containsExactly(Duration.ofSeconds(90));
    }

    @Test
    void storeUnavailableGets503WithRetryAfterAndHandlerDoesNotRun() throws Exception {
        int runs = this.endpoints.runs("orders");
        this.store.claimFails = true;
        HttpResponse<byte[]> response = post("/orders", newKey(), ORDER);
        assertThat(response.statusCode()).isEqualTo(503);
        assertProblem(response, "store-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(this.endpoints.runs("orders")).isEqualTo(runs);
    }

    @Test
    void failedCompletionStillSendsResponseAndKeepsKeyInProgress() throws Exception {
        String key = newKey();
        this.store.completeFails = true;
        HttpResponse<byte[]> first = post("/orders", key, ORDER);
        assertThat(first.statusCode()).isEqualTo(201);
        this.store.heal();
        HttpResponse<byte[]> retry = post("/orders", key, ORDER);
        assertThat(retry.statusCode()).isEqualTo(409);
    }

    @Test
    void endpointWithoutAnnotationIsUntouched() throws Exception {
        HttpResponse<byte[]> response = post("/plain", "whatever", "");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private HttpResponse<byte[]> post(String path, String key, String json) throws Exception {
        return post(path, key, json, "alice");
    }

    private HttpResponse<byte[]> post(String path, String key, String json, String user) throws Exception {
        return client().post(path, key, json, user);
    }

    private HttpResponse<byte[]> postForm(String path, String key, String form) throws Exception {
        return send(request(path, key, "alice")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    private HttpRequest.Builder request(String path, String key, String user) {
        return client().request(path, key, user);
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return client().send(request);
    }
}
