package io.github.idempotency.client;

import java.util.function.Consumer;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * Adds an {@link IdempotentRequestInterceptor} to the {@link RestClient.Builder}s it is applied to:
 * {@code RestClient.builder().apply(customizer)}. Applied to chosen clients only, never to every client:
 * retrying an unsafe request is right for servers that honour idempotency keys.
 *
 * <p>The interceptor goes first in the builder's chain, so the interceptors after it (authentication,
 * logging, metrics) run once per attempt. Applying the customizer again replaces the interceptor rather
 * than nesting a second retry loop.
 */
public class IdempotentRestClientCustomizer implements Consumer<RestClient.Builder> {

    private final IdempotentRequestInterceptor interceptor;

    /**
     * Creates a customizer.
     * @param interceptor the interceptor it adds
     */
    public IdempotentRestClientCustomizer(IdempotentRequestInterceptor interceptor) {
        Assert.notNull(interceptor, "'interceptor' must not be null");
        this.interceptor = interceptor;
    }

    @Override
    public void accept(RestClient.Builder builder) {
        builder.requestInterceptors((interceptors) -> {
            interceptors.removeIf(IdempotentRequestInterceptor.class::isInstance);
            interceptors.add(0, this.interceptor);
        });
    }

    /**
     * Returns the interceptor this customizer adds, for a client built another way.
     * @return the interceptor
     */
    public IdempotentRequestInterceptor getInterceptor() {
        return this.interceptor;
    }
}
