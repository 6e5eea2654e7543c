package io.github.idempotency.transactional;

import io.github.idempotency.Idempotent;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * An application whose idempotent endpoints write business rows in the transactional mode, each in a way
 * that ends differently: committed, crashed, declined from inside a transaction, released, blocked.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TransactionalTestApplication {

    @Bean
    SecurityFilterChain openToAll(HttpSecurity http) throws Exception {
        return http.csrf((csrf) -> csrf.disable())
                .authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
                .build();
    }

    @Bean
    Orders orders(JdbcTemplate jdbc, @Value("${test.orders-ddl}") String ddl) {
        jdbc.execute(ddl);
        return new Orders(jdbc);
    }

    static class DeclinedException extends RuntimeException {}

    /**
     * The business writes, each in a transaction that joins the request's.
     */
    static class Orders {

        private final JdbcTemplate jdbc;

        Orders(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        public void insert(String ref) {
            this.jdbc.update("INSERT INTO orders (ref) VALUES (?)", ref);
        }

        @Transactional
        public void insertThenDecline(String ref) {
            insert(ref);
            throw new DeclinedException();
        }

        int count(String ref) {
            return this.jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE ref = ?", Integer.class, ref);
        }
    }

    @RestControllerAdvice
    static class Advice {

        @ExceptionHandler
        ResponseEntity<ProblemDetail> declined(DeclinedException ex) {
            return ResponseEntity.status(402)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.PAYMENT_REQUIRED, "declined"));
        }
    }

    @RestController
    static class OrderEndpoints {

        final AtomicInteger runs = new AtomicInteger();

        volatile CountDownLatch started = new CountDownLatch(1);

        volatile CountDownLatch release = new CountDownLatch(0);

        private final Orders orders;

        OrderEndpoints(Orders orders) {
            this.orders = orders;
        }

        @PostMapping("/orders/{ref}")
        @Idempotent(transactional = true)
        ResponseEntity<Map<String, Object>> create(@PathVariable String ref) throws InterruptedException {
            int run = this.runs.incrementAndGet();
            this.orders.insert(ref);
            this.started.countDown();
            this.release.await(30, TimeUnit.SECONDS);
            return ResponseEntity.created(URI.create("/orders/" + ref)).body(Map.of("ref", ref, "run", run));
        }

        @PostMapping("/orders/{ref}/crash")
        @Idempotent(transactional = true)
        Map<String, Object> crash(@PathVariable String ref) {
            this.runs.incrementAndGet();
            this.orders.insert(ref);
            throw new IllegalStateException("crash after the business write");
        }

        @PostMapping("/orders/{ref}/unavailable")
        @Idempotent(transactional = true)
        ResponseEntity<String> unavailable(@PathVariable String ref) {
            this.runs.incrementAndGet();
            this.orders.insert(ref);
            return ResponseEntity.status(503).body("try later");
        }

        @PostMapping("/orders/{ref}/declined")
        @Idempotent(transactional = true)
        Map<String, Object> declined(@PathVariable String ref) {
            this.runs.incrementAndGet();
            this.orders.insertThenDecline(ref);
            return Map.of();
        }

        @PostMapping("/orders/{ref}/twice-large")
        @Idempotent(transactional = true)
        ResponseEntity<String> twiceLarge(@PathVariable String ref) {
            // Larger than the tests' idempotency.max-response-size.
            return insertTwice(ref, "inserted twice ".repeat(200));
        }

        @PostMapping("/orders/{ref}/large")
        @Idempotent(transactional = true)
        ResponseEntity<String> large(@PathVariable String ref) {
            this.runs.incrementAndGet();
            this.orders.insert(ref);
            return ResponseEntity.status(201).body("inserted once ".repeat(200));
        }

        @PostMapping("/orders/{ref}/twice")
        @Idempotent(transactional = true)
        ResponseEntity<String> twice(@PathVariable String ref) {
            return insertTwice(ref, "inserted twice");
        }

        private ResponseEntity<String> insertTwice(String ref, String body) {
            this.runs.incrementAndGet();
            this.orders.insert(ref);
            this.orders.insert(ref);
            return ResponseEntity.status(201).body(body);
        }
    }
}
