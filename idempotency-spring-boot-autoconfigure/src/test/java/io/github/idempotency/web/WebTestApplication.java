package io.github.idempotency.web;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.Idempotent;
import io.github.idempotency.store.MutableClock;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;

/**
 * An application with one idempotent endpoint per behaviour under test. Each endpoint counts its
 * executions, so a test can tell a replay from a second run.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class WebTestApplication {

    /**
     * Lets WebDAV's {@code PROPFIND} through Spring Security's firewall, which refuses methods outside HTTP's
     * core set, to show that extension methods pass through {@code @Idempotent} handlers untouched.
     */
    @Bean
    WebSecurityCustomizer extensionMethods() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHttpMethods(
                List.of("GET", "HEAD", "OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE", "PROPFIND"));
        return (web) -> web.httpFirewall(firewall);
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        return http.csrf((csrf) -> csrf.disable())
                .authorizeHttpRequests((requests) -> requests.requestMatchers("/public/**", "/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice")
                        .password("{noop}alice-secret")
                        .roles("USER")
                        .build(),
                User.withUsername("bob")
                        .password("{noop}bob-secret")
                        .roles("USER")
                        .build());
    }

    @Bean
    FaultyStore idempotencyStore(ObjectProvider<MutableClock> testClock) {
        // Tests that move time forward supply a MutableClock; the others run on the system clock.
        Clock clock = testClock.getIfAvailable();
        clock = (clock != null) ? clock : Clock.systemUTC();
        return new FaultyStore(new InMemoryIdempotencyStore(clock, ExpiredLeasePolicy.TAKE_OVER, 1000));
    }

    record Order(@Positive long amount) {}

    static class DeclinedException extends RuntimeException {}

    static class BackendDownException extends RuntimeException {}

    @RestControllerAdvice
    static class Advice {

        @ExceptionHandler
        ResponseEntity<ProblemDetail> declined(DeclinedException ex) {
            return ResponseEntity.status(402)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.PAYMENT_REQUIRED, "declined"));
        }

        @ExceptionHandler
        ResponseEntity<ProblemDetail> backendDown(BackendDownException ex) {
            return ResponseEntity.status(503)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "backend down"));
        }
    }

    @RestController
    static class Endpoints {

        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        volatile CountDownLatch slowStarted = new CountDownLatch(1);

        volatile CountDownLatch slowRelease = new CountDownLatch(1);

        int runs(String endpoint) {
            return this.runs
                    .computeIfAbsent(endpoint, (name) -> new AtomicInteger())
                    .get();
        }

        private int run(String endpoint) {
            return this.runs
                    .computeIfAbsent(endpoint, (name) -> new AtomicInteger())
                    .incrementAndGet();
        }

        @PostMapping("/orders")
        @Idempotent
        ResponseEntity<Map<String, Object>> create(@Valid @RequestBody Order order, HttpServletResponse response) {
            int run = run("orders");
            response.addHeader("Set-Cookie", "session=" + run);
            return ResponseEntity.created(URI.create("/orders/" + run))
                    .header("X-Order-Run", Integer.toString(run))
                    .header("X-Multi", "one")
                    .header("X-Multi", "two")
                    .body(Map.of("run", run, "amount", order.amount(), "note", "caf\u00e9 \u2713"));
        }

        @GetMapping("/orders")
        @Idempotent
        Map<String, Object> list() {
            return Map.of("run", run("list"));
        }

        @RequestMapping("/any-method")
        @Idempotent
        Map<String, Object> anyMethod() {
            return Map.of("run", run("any-method"));
        }

        @PostMapping("/refunds")
        @Idempotent
        ResponseEntity<Map<String, Object>> refund(@RequestBody String body) {
            return ResponseEntity.status(201).body(Map.of("run", run("refunds")));
        }

        @PostMapping("/declined")
        @Idempotent
        Map<String, Object> declined() {
            run("declined");
            throw new DeclinedException();
        }

        @PostMapping("/crash")
        @Idempotent
        Map<String, Object> crash() {
            run("crash");
            throw new IllegalStateException("boom");
        }

        @PostMapping("/backend-down")
        @Idempotent
        Map<String, Object> backendDown() {
            run("backend-down");
            throw new BackendDownException();
        }

        @PostMapping("/rate-limited")
        @Idempotent
        ResponseEntity<String> rateLimited() {
            run("rate-limited");
            return ResponseEntity.status(429).body("slow down");
        }

        @PostMapping("/missing-thing")
        @Idempotent
        Map<String, Object> missingThing(HttpServletResponse response) {
            run("missing-thing");
            // Kept by the container on the error page it writes after sendError.
            response.setHeader("X-Searched-For", "thing");
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such thing");
        }

        @PostMapping("/large")
        @Idempotent
        ResponseEntity<String> large() {
            int run = run("large");
            return ResponseEntity.created(URI.create("/large/" + run)).body("x".repeat(4096));
        }

        @PostMapping("/slow")
        @Idempotent
        Map<String, Object> slow() throws InterruptedException {
            int run = run("slow");
            this.slowStarted.countDown();
            this.slowRelease.await(30, TimeUnit.SECONDS);
            return Map.of("run", run);
        }

        @PostMapping("/optional")
        @Idempotent(required = false)
        Map<String, Object> optional() {
            return Map.of("run", run("optional"));
        }

        @PutMapping("/things/{id}")
        @Idempotent
        Map<String, Object> put(@PathVariable String id) {
            return Map.of("run", run("put"));
        }

        @DeleteMapping("/things/{id}")
        @Idempotent
        ResponseEntity<Void> delete(@PathVariable String id) {
            run("delete");
            return ResponseEntity.noContent().build();
        }

        @PostMapping("/user-scoped/a")
        @Idempotent(scope = IdempotencyScope.USER)
        Map<String, Object> userScopedA() {
            return Map.of("run", run("user-scoped"));
        }

        @PostMapping("/user-scoped/b")
        @Idempotent(scope = IdempotencyScope.USER)
        Map<String, Object> userScopedB() {
            return Map.of("run", run("user-scoped"));
        }

        @PostMapping("/short-ttl")
        @Idempotent(ttl = "90s")
        Map<String, Object> shortTtl() {
            return Map.of("run", run("short-ttl"));
        }

        @PostMapping("/form")
        @Idempotent
        Map<String, Object> form(@RequestParam String item) {
            return Map.of("run", run("form"), "item", item);
        }

        @PostMapping("/public/anonymous")
        @Idempotent
        Map<String, Object> anonymous() {
            return Map.of("run", run("anonymous"));
        }

        @PostMapping("/logged")
        @Idempotent
        Map<String, Object> logged() {
            run("logged");
            // What every log line the handler writes carries.
            return Map.of("mdcKey", String.valueOf(MDC.get("idempotency.key")));
        }

        @PostMapping("/plain")
        Map<String, Object> plain() {
            return Map.of("run", run("plain"));
        }
    }

    /**
     * A handler method that two controllers inherit, one annotated and one not: one {@link java.lang.reflect.Method}
     * behind two endpoints.
     */
    abstract static class SharedNotes {

        final AtomicInteger runs = new AtomicInteger();

        @PostMapping
        Map<String, Object> create() {
            return Map.of("run", this.runs.incrementAndGet());
        }
    }

    @RestController
    @RequestMapping("/inherited/idempotent")
    @Idempotent
    static class IdempotentNotes extends SharedNotes {}

    @RestController
    @RequestMapping("/inherited/plain")
    static class PlainNotes extends SharedNotes {}
}
