package io.github.idempotency.client;

import io.github.idempotency.UnsafeHttpMethods;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * Makes unsafe requests ({@code POST}, {@code PATCH}, {@code PUT}, {@code DELETE}) safe to retry, and
 * retries them: each logical call gets one idempotency key (a fresh UUID, or the one the caller put in the
 * header), and the same request with that same key is sent again on an I/O error or timeout and on the
 * answers that say "later": {@code 409} with the in-progress problem type, {@code 429}, {@code 502},
 * {@code 503} and {@code 504}. The wait before a retry is the answer's {@code Retry-After} when it names
 * one, else an exponential backoff with jitter; attempts and total time are bounded, and when the retries
 * end the last answer is returned (or the last I/O error thrown). Every other answer is returned at once.
 *
 * <p>Safe methods ({@code GET}, {@code HEAD}, {@code OPTIONS}, {@code TRACE}) pass through untouched. The
 * answer names the key used in the key header, as servers that echo it do; {@link IdempotentResponses}
 * reads it, and whether the answer was replayed.
 *
 * <p>The retries run on Spring Framework's {@link RetryTemplate}, on the calling thread.
 */
public class IdempotentRequestInterceptor implements ClientHttpRequestInterceptor {

    private final IdempotentRetrySettings settings;

    private final Supplier<String> keys;

    private final Clock clock;

    /**
     * Creates an interceptor that makes random UUIDs as keys.
     * @param settings the key header and the bounds of the retries
     */
    public IdempotentRequestInterceptor(IdempotentRetrySettings settings) {
        this(settings, () -> UUID.randomUUID().toString(), Clock.systemUTC());
    }

    /**
     * Creates an interceptor.
     * @param settings the key header and the bounds of the retries
     * @param keys makes the key of a logical call whose request carries none; each key must be unique
     * @param clock the clock a {@code Retry-After} date is measured against
     */
    public IdempotentRequestInterceptor(IdempotentRetrySettings settings, Supplier<String> keys, Clock clock) {
        Assert.notNull(settings, "'settings' must not be null");
        Assert.notNull(keys, "'keys' must not be null");
        Assert.notNull(clock, "'clock' must not be null");
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * Returns the settings this interceptor keys and retries with.
     * @return the settings
     */
    public IdempotentRetrySettings getSettings() {
        return this.settings;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        if (!UnsafeHttpMethods.includes(request.getMethod().name())) {
            return execution.execute(request, body);
        }
        String headerName = this.settings.headerName();
        String key = request.getHeaders().getFirst(headerName);
        if (key == null) {
            key = this.keys.get();
            Assert.hasText(key, "The key supplier made an empty key");
        }
        IdempotentCall call = new IdempotentCall(request, headerName, key, body, execution, this.clock);
        RetryTemplate retries = new RetryTemplate(new IdempotentRetryPolicy(
                this.settings.maxTotalTime(), new RetryAfterBackOff(this.settings, call::retryAfter)));
        return new KeyedResponse(execute(retries, call), headerName, key);
    }

    private static ClientHttpResponse execute(RetryTemplate retries, IdempotentCall call) throws IOException {
        try {
            return retries.execute(call);
        } catch (RetryException ex) {
            // Out of attempts or time, interrupted, or failed in a way not worth retrying: the last
            // attempt's outcome is the call's.
            Throwable last = ex.getCause();
            if (last instanceof RetryableAnswerException answer) {
                return answer.response();
            }
            if (last instanceof IOException io) {
                // The earlier attempts' failures tell what happened before the last one.
                for (Throwable earlier : ex.getSuppressed()) {
                    if (earlier != io) {
                        io.addSuppressed(earlier);
                    }
                }
                throw io;
            }
            if (last instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (last instanceof Error error) {
                throw error;
            }
            throw new IOException(last);
        }
    }
}
