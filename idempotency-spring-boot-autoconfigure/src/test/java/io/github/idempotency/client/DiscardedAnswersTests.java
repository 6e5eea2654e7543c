package io.github.idempotency.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

/**
 * Which answers the interceptor closes: every one it discards for a retry, never the one it hands on.
 * (Closing is not visible from a server, so these tests give the interceptor answers of their own.)
 */
class DiscardedAnswersTests {

    private final IdempotentRequestInterceptor interceptor = new IdempotentRequestInterceptor(
            new IdempotentRetrySettings(
                    "Idempotency-Key",
                    3,
                    Duration.ofMillis(1),
                    1.0,
                    Duration.ofMillis(1),
                    Duration.ZERO,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10)),
            () -> "k1",
            Clock.systemUTC());

    private final HttpRequest request = new MockClientHttpRequest(HttpMethod.POST, "/payments");

    @Test
    void discardedAnswersAreClosedAndTheFinalOneIsNot() throws IOException {
        ScriptedExecution execution = new ScriptedExecution(answer(503), answer(429), answer(201));

        ClientHttpResponse response = this.interceptor.intercept(this.request, new byte[0], execution);

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        assertThat(execution.sent).extracting(ClosingResponse::isClosed).containsExactly(true, true, false);
    }

    @Test
    void lastAnswerHandedOnWhenAttemptsRunOutIsOpenWithItsBody() throws IOException {
        ScriptedExecution execution = new ScriptedExecution(answer(503), answer(503), answer(503));

        ClientHttpResponse response = this.interceptor.intercept(this.request, new byte[0], execution);

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("answer 3");
        assertThat(execution.sent).extracting(ClosingResponse::isClosed).containsExactly(true, true, false);
        response.close();
        assertThat(execution.sent.get(2).isClosed()).isTrue();
    }

    private static ClosingResponse answer(int status) {
        return new ClosingResponse(status);
    }

    /** Hands out its answers in order, numbering their bodies. */
    private static final class ScriptedExecution implements ClientHttpRequestExecution {

        private final Deque<ClosingResponse> answers;

        private final List<ClosingResponse> sent = new ArrayList<>();

        ScriptedExecution(ClosingResponse... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public ClientHttpResponse execute(HttpRequest request, byte[] body) {
            ClosingResponse answer = this.answers.removeFirst();
            this.sent.add(answer);
            answer.number(this.sent.size());
            return answer;
        }
    }

    /** An answer that remembers being closed. */
    private static final class ClosingResponse extends MockClientHttpResponse {

        private boolean closed;

        private int number;

        ClosingResponse(int status) {
            super(new byte[0], status);
        }

        void number(int number) {
            this.number = number;
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(("answer " + this.number).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            this.closed = true;
        }

        boolean isClosed() {
            return this.closed;
        }
    }
}
