package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;

class DefaultIdempotencyRecordPolicyTests {

    private final DefaultIdempotencyRecordPolicy policy = new DefaultIdempotencyRecordPolicy();

    @Test
    void successAndRedirectsAreRecorded() {
        assertThat(this.policy.shouldRecord(new HandlerOutcome(200, null))).isTrue();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(201, null))).isTrue();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(303, null))).isTrue();
    }

    @Test
    void handlersOwnClientErrorsAreRecorded() {
        assertThat(this.policy.shouldRecord(new HandlerOutcome(402, new IllegalStateException("declined"))))
                .isTrue();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(404, null))).isTrue();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(409, null))).isTrue();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(400, new IllegalArgumentException("business"))))
                .isTrue();
    }

    @Test
    void requestValidationFailuresAreReleased() throws Exception {
        MethodParameter parameter = new MethodParameter(getClass().getDeclaredMethod("target", Object.class), 0);
        var notValid =
                new MethodArgumentNotValidException(parameter, new BeanPropertyBindingResult(new Object(), "body"));
        var unreadable = new HttpMessageNotReadableException(
                "bad json", new ServletServerHttpRequest(new MockHttpServletRequest()));
        assertThat(this.policy.shouldRecord(new HandlerOutcome(400, notValid))).isFalse();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(400, unreadable)))
                .isFalse();
        assertThat(this.policy.shouldRecord(
                        new HandlerOutcome(400, new MissingServletRequestParameterException("amount", "long"))))
                .isFalse();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(422, notValid))).isFalse();
    }

    @Test
    void unauthorizedAndForbiddenAreReleasedHoweverTheyWereAnswered() {
        // Method security denied inside the handler, answered by an exception handler; a signature the handler
        // checked itself.
        assertThat(this.policy.shouldRecord(new HandlerOutcome(403, new IllegalStateException("Access Denied"))))
                .isFalse();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(401, null))).isFalse();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(403, null))).isFalse();
    }

    @Test
    void transientStatusesAreReleased() {
        assertThat(this.policy.shouldRecord(new HandlerOutcome(408, null))).isFalse();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(425, null))).isFalse();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(429, null))).isFalse();
    }

    @Test
    void serverErrorsAreReleased() {
        assertThat(this.policy.shouldRecord(new HandlerOutcome(500, null))).isFalse();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(502, new IllegalStateException())))
                .isFalse();
        assertThat(this.policy.shouldRecord(new HandlerOutcome(503, null))).isFalse();
    }

    @SuppressWarnings("unused")
    private void target(Object body) {}
}
