package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

/**
 * An invalid {@code idempotency.*} value stops a real {@code SpringApplication} with Spring Boot's
 * "APPLICATION FAILED TO START" report naming the property, the value and the reason, as a value of the
 * wrong type does: in a plain application and in a servlet application with Spring MVC, whose web server
 * creates the starter's filter before any other bean.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertiesFailureAnalysisTests {

    @ParameterizedTest(name = "{0} application, {1}={2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "NONE    | idempotency.ttl                | -1s | must be a positive duration",
                "NONE    | idempotency.lease              | 0s  | must be a positive duration",
                "NONE    | idempotency.max-key-length     | 0   | must be between 1 and 1024",
                "NONE    | idempotency.store.timeout      | 0s  | must be a positive duration",
                "NONE    | idempotency.memory.max-entries | -5  | must be positive",
                "SERVLET | idempotency.ttl                | -1s | must be a positive duration",
                "SERVLET | idempotency.lease              | 0s  | must be a positive duration",
                "SERVLET | idempotency.max-key-length     | 0   | must be between 1 and 1024",
                "SERVLET | idempotency.store.timeout      | 0s  | must be a positive duration",
                "SERVLET | idempotency.max-request-size   | 0B  | must be between 1B and 2GB"
            })
    void invalidValueIsReportedWithPropertyValueAndReason(
            WebApplicationType type, String property, String value, String reason, CapturedOutput output) {
        assertFailsToStart(type, property, value);

        assertReported(output, property, value, reason);
    }

    private static void assertFailsToStart(WebApplicationType type, String property, String value) {
        assertThatException()
                .isThrownBy(() -> new SpringApplicationBuilder(StarterApplication.class)
                        .web(type)
                        .run("--" + property + "=" + value, "--server.port=0", "--spring.main.banner-mode=off"));
    }

    private static void assertReported(CapturedOutput output, String property, String value, String reason) {
        String report = output.getAll();
        assertThat(report).contains("APPLICATION FAILED TO START");
        assertThat(report.substring(report.indexOf("APPLICATION FAILED TO START")))
                .containsSubsequence(
                        "Description:",
                        "Invalid value '" + value + "' for configuration property '" + property + "'",
                        "from property source \"commandLineArgs\"",
                        "Validation failed for the following reason:",
                        reason,
                        "Action:",
                        "Review the value of the property");
        // Nothing before the report: no stack trace of an assertion deep in a constructor.
        assertThat(report).doesNotContain("IllegalArgumentException");
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        IdempotencyAutoConfiguration.class,
        IdempotencyWebMvcAutoConfiguration.class
    })
    static class StarterApplication {}
}
