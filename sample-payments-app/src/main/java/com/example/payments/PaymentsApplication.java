package com.example.payments;

import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * A small payments service whose mutating endpoints are made safe to retry with
 * {@link io.github.idempotency.Idempotent @Idempotent}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PaymentsApplication {

    public static void main(String[] args) {
        SpringApplication.run(PaymentsApplication.class, args);
    }

    /**
     * Time source of the payments and refunds.
     * @return the system clock in UTC, in whole milliseconds
     */
    @Bean
    Clock paymentsClock() {
        // Databases keep microseconds at most: whole milliseconds make the answer to a POST equal to every
        // later GET of the same payment.
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }
}
