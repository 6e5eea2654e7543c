package io.github.idempotency.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.core.retry.Retryable;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;

/**
 * One logical call: the same request with the same key on every attempt. An attempt whose answer is worth
 * retrying throws it as a {@link RetryableAnswerException}; that answer stays open until the next attempt
 * starts, since it is handed to the caller when no attempt follows.
 */
final class IdempotentCall implements Retryable<ClientHttpResponse> {

    private final HttpRequest request;

    private final String headerName;

    private final String key;

    private final byte[] body;

    private final ClientHttpRequestExecution execution;

    private final Clock clock;

    private ClientHttpResponse discarded;

    private Duration retryAfter;

    IdempotentCall(
            HttpRequest request,
            String headerName,
            String key,
            byte[] body,
            ClientHttpRequestExecution execution,
            Clock clock) {
        this.request = request;
        this.headerName = headerName;
        this.key = key;
        this.body = body;
        this.execution = execution;
        this.clock = clock;
    }

    @Override
    public ClientHttpResponse execute() throws IOException, RetryableAnswerException {
        if (this.discarded != null) {
            this.discarded.close();
            this.discarded = null;
        }
        this.retryAfter = null;
        ClientHttpResponse response =
                this.execution.execute(new KeyedRequest(this.request, this.headerName, this.key), this.body);
        RetryableAnswers.Answer answer;
        try {
            answer = RetryableAnswers.classify(response);
        } catch (IOException | RuntimeException ex) {
            response.close();
            throw ex;
        }
        if (!answer.retryable()) {
            return answer.response();
        }
        this.discarded = answer.response();
        this.retryAfter = RetryAfter.of(response.getHeaders(), this.clock);
        throw new RetryableAnswerException(answer.response());
    }

    @Override
    public String getName() {
        // For RetryTemplate's debug log: no query string, which may carry secrets.
        return this.request.getMethod() + " " + this.request.getURI().getHost()
                + this.request.getURI().getRawPath();
    }

    /**
     * Returns the wait the last answer asked for.
     * @return its {@code Retry-After}, or {@code null} when it named none or the last attempt got no answer
     */
    Duration retryAfter() {
        return this.retryAfter;
    }
}
