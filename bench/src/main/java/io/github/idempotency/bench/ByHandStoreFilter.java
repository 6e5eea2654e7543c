package io.github.idempotency.bench;

import io.github.idempotency.ClaimToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Does a store's floor work by hand around the plain handler: the floor's claim of the request's
 * {@code Idempotency-Key} before it, the floor's completion after it, and the answer held back until then,
 * as the starter holds it. Set against the plain endpoint in the same application, it shows what the
 * store's two round trips cost from inside a request, where they share the cores with Tomcat and the load
 * generator, with none of the starter's code.
 */
class ByHandStoreFilter extends OncePerRequestFilter {

    private final FloorHarness.Floor floor;

    private final BenchCounters counters;

    ByHandStoreFilter(FloorHarness.Floor floor, BenchCounters counters) {
        this.floor = floor;
        this.counters = counters;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader("Idempotency-Key");
        try {
            long start = System.nanoTime();
            ClaimToken token = this.floor.claim(key);
            long claimed = System.nanoTime();
            // The handler's message converter flushes, which would answer the client before the completion.
            ContentCachingResponseWrapper heldBack = new ContentCachingResponseWrapper(response);
            chain.doFilter(request, heldBack);
            long handled = System.nanoTime();
            this.floor.complete(key, token);
            // Timed as the starter's store calls are, for the same comparison.
            this.counters.storeCall((claimed - start) + (System.nanoTime() - handled));
            heldBack.copyBodyToResponse();
        } catch (IOException | ServletException | RuntimeException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void destroy() {
        try {
            this.floor.close();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
