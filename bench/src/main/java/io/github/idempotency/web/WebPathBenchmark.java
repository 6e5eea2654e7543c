package io.github.idempotency.web;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.Idempotent;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.engine.LeaseRenewer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;

/**
 * The in-process work of an idempotent request, without the store's round trips: each step on its own
 * (fingerprint, request buffering, response capture and recording, replay) and whole requests through the
 * {@link IdempotencyFilter} and {@link IdempotencyHandlerInterceptor} against a store that answers at once
 * ({@code firstExecution}, {@code replayExecution}), next to the same handler without them
 * ({@code plainExecution}). Request and response bodies are {@code bodySize} bytes each.
 *
 * <p>The handler behaves like Jackson in Spring MVC: it reads the body through a small reused buffer and
 * writes its answer in 8000-byte chunks without declaring a length, so a plain request allocates nothing in
 * proportion to the bodies, and the GC profiler's {@code gc.alloc.rate.norm} of the idempotent ones minus
 * the plain one is what the starter allocates per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WebPathBenchmark {

    private static final int CHUNK = 8000;

    private static final long MAX_SIZE = 1024 * 1024;

    private static final String KEY = "5f1c2a9e-7b3d-4c8e-9a61-0d2f4b6c8e1a";

    @Param({"1024", "65536", "1048576"})
    int bodySize;

    private byte[] requestBody;

    private byte[] responseBody;

    private final byte[] readBuffer = new byte[CHUNK];

    private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

    private final ResponseRecorder recorder = new ResponseRecorder(List.of("Set-Cookie"), List.of());

    private final ResponseReplayer replayer = new ResponseReplayer(new ProblemResponseWriter());

    private final DiscardingResponse reusedResponse = new DiscardingResponse();

    private MockHttpServletRequest fingerprintedRequest;

    private BufferedBody bufferedBody;

    private StoredResponse stored;

    private LeaseRenewer leaseRenewer;

    private IdempotencyFilter firstFilter;

    private IdempotencyHandlerInterceptor firstInterceptor;

    private IdempotencyFilter replayFilter;

    private IdempotencyHandlerInterceptor replayInterceptor;

    private HandlerMethod handlerMethod;

    /**
     * Builds the bodies, the recorded response and two filter and interceptor pairs: one whose store always
     * grants the claim, one whose store always answers with the recorded response.
     * @throws Exception if the handler method is missing
     */
    @Setup
    public void setUp() throws Exception {
        Random random = new Random(42);
        this.requestBody = new byte[this.bodySize];
        this.responseBody = new byte[this.bodySize];
        random.nextBytes(this.requestBody);
        random.nextBytes(this.responseBody);
        this.fingerprintedRequest = newRequest();
        this.bufferedBody = new BufferedBody(this.requestBody, this.requestBody.length);
        this.stored = new StoredResponse(
                201,
                List.of(
                        new StoredResponse.Header("Content-Type", "application/json"),
                        new StoredResponse.Header("Location", "/orders/42")),
                this.responseBody,
                false);
        this.leaseRenewer = new LeaseRenewer();
        IdempotencySettings settings = new IdempotencySettings(
                "Idempotency-Key",
                Duration.ofHours(24),
                Duration.ofSeconds(60),
                IdempotencyScope.USER_AND_ENDPOINT,
                255,
                MAX_SIZE,
                MAX_SIZE,
                false,
                false);
        ImmediateStore claiming = new ImmediateStore(new ClaimResult.Claimed(new ClaimToken(KEY), false));
        IdempotentExchanges firstExchanges = exchanges();
        this.firstFilter = new IdempotencyFilter(firstExchanges, settings);
        this.firstInterceptor = interceptor(claiming, settings, firstExchanges);
        ImmediateStore replaying = new ImmediateStore(new ClaimResult.Completed(this.stored));
        IdempotentExchanges replayExchanges = exchanges();
        this.replayFilter = new IdempotencyFilter(replayExchanges, settings);
        this.replayInterceptor = interceptor(replaying, settings, replayExchanges);
        this.handlerMethod = new HandlerMethod(new OrderHandler(), OrderHandler.class.getMethod("create"));
        check(firstExecution(), null);
        check(replayExecution(), "true");
    }

    /**
     * Fails unless a path answered in full, so that a change in the starter cannot leave a benchmark timing
     * an early refusal.
     */
    private void check(DiscardingResponse response, String replayed) {
        if (response.getStatus() != 201
                || response.getWritten() != this.bodySize
                || !Objects.equals(response.getHeader(ResponseReplayer.REPLAYED_HEADER), replayed)) {
            throw new IllegalStateException(
                    "Benchmarked request answered " + response.getStatus() + " with " + response.getWritten()
                            + " bytes, replayed: " + response.getHeader(ResponseReplayer.REPLAYED_HEADER));
        }
    }

    /**
     * Stops the lease renewer's thread.
     */
    @TearDown
    public void tearDown() {
        this.leaseRenewer.destroy();
    }

    /**
     * The fingerprint of a buffered request.
     * @return the fingerprint
     * @throws IOException never
     */
    @Benchmark
    public String fingerprint() throws IOException {
        return this.fingerprinter.fingerprint(this.fingerprintedRequest, "/orders", this.bufferedBody);
    }

    /**
     * Reading the request body into memory, as the interceptor does before fingerprinting.
     * @return the body
     * @throws IOException never
     */
    @Benchmark
    public BufferedBody bufferRequest() throws IOException {
        this.fingerprintedRequest.setContent(this.requestBody);
        return new IdempotentRequestWrapper(this.fingerprintedRequest).bufferBody(MAX_SIZE);
    }

    /**
     * Holding back a handler's response, recording it, then sending it.
     * @return the recorded response
     * @throws IOException never
     */
    @Benchmark
    public StoredResponse captureResponse() throws IOException {
        this.reusedResponse.reset();
        CapturingResponseWrapper capturing = new CapturingResponseWrapper(this.reusedResponse);
        capturing.startCapture(MAX_SIZE);
        writeResponse(capturing);
        StoredResponse recorded = this.recorder.record(capturing);
        capturing.sendCapturedBody();
        return recorded;
    }

    /**
     * Writing a recorded response to a retry.
     * @return the response written to
     * @throws IOException never
     */
    @Benchmark
    public DiscardingResponse replay() throws IOException {
        this.reusedResponse.reset();
        this.replayer.replay(this.reusedResponse, this.stored, "/orders");
        return this.reusedResponse;
    }

    /**
     * A request to the handler without the starter: the baseline of the two below.
     * @return the response
     * @throws IOException never
     */
    @Benchmark
    public DiscardingResponse plainExecution() throws IOException {
        MockHttpServletRequest request = newRequest();
        DiscardingResponse response = new DiscardingResponse();
        handle(request, response);
        return response;
    }

    /**
     * A first execution through the filter and interceptor: key, buffering, fingerprint, claim, handler,
     * capture, record, send.
     * @return the response
     * @throws Exception never
     */
    @Benchmark
    public DiscardingResponse firstExecution() throws Exception {
        return execute(this.firstFilter, this.firstInterceptor);
    }

    /**
     * A replay through the filter and interceptor: key, buffering, fingerprint, claim answered with the
     * recorded response, replay.
     * @return the response
     * @throws Exception never
     */
    @Benchmark
    public DiscardingResponse replayExecution() throws Exception {
        return execute(this.replayFilter, this.replayInterceptor);
    }

    private DiscardingResponse execute(IdempotencyFilter filter, IdempotencyHandlerInterceptor interceptor)
            throws Exception {
        MockHttpServletRequest request = newRequest();
        DiscardingResponse response = new DiscardingResponse();
        FilterChain chain = (chainRequest, chainResponse) -> {
            HttpServletRequest httpRequest = (HttpServletRequest) chainRequest;
            HttpServletResponse httpResponse = (HttpServletResponse) chainResponse;
            // What DispatcherServlet does around a handler method.
            try {
                if (interceptor.preHandle(httpRequest, httpResponse, this.handlerMethod)) {
                    handle(httpRequest, httpResponse);
                    interceptor.afterCompletion(httpRequest, httpResponse, this.handlerMethod, null);
                }
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        };
        filter.doFilter(request, response, chain);
        return response;
    }

    private MockHttpServletRequest newRequest() {
        MockHttpServletRequest request = new BodyRequest("/orders");
        request.setContentType("application/json");
        request.addHeader("Idempotency-Key", KEY);
        request.setContent(this.requestBody);
        return request;
    }

    private void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (InputStream in = request.getInputStream()) {
            while (in.read(this.readBuffer) != -1) {
                // Parsed and dropped, as Jackson reads through its recycled buffer.
            }
        }
        response.setStatus(201);
        response.setHeader("Location", "/orders/42");
        writeResponse(response);
    }

    private void writeResponse(HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        OutputStream out = response.getOutputStream();
        for (int offset = 0; offset < this.responseBody.length; offset += CHUNK) {
            out.write(this.responseBody, offset, Math.min(CHUNK, this.responseBody.length - offset));
        }
        out.flush();
    }

    private IdempotentExchanges exchanges() {
        return new IdempotentExchanges(new DefaultIdempotencyRecordPolicy(), List.of("Set-Cookie"), List.of());
    }

    private IdempotencyHandlerInterceptor interceptor(
            IdempotencyStore store, IdempotencySettings settings, IdempotentExchanges exchanges) {
        IdempotencyEngine engine = new IdempotencyEngine(store, this.leaseRenewer, null, settings.lease(), false);
        return new IdempotencyHandlerInterceptor(engine, settings, new DefaultIdempotencyScopeResolver(), exchanges);
    }

    /**
     * The annotated handler the interceptor looks up; the benchmark's {@code handle} does its work.
     */
    public static class OrderHandler {

        /**
         * Never called.
         */
        @Idempotent
        public void create() {}
    }

    /**
     * A store that answers every claim with the same result and every write with success, at once.
     */
    private record ImmediateStore(ClaimResult claimResult) implements IdempotencyStore {

        @Override
        public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
            return this.claimResult;
        }

        @Override
        public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
            return true;
        }

        @Override
        public boolean release(IdempotencyKey key, ClaimToken token) {
            return true;
        }

        @Override
        public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
            return true;
        }
    }
}
