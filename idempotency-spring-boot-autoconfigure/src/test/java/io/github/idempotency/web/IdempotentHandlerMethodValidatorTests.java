package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.Idempotent;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyWebMvcAutoConfiguration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Handlers whose response cannot be recorded fail startup with a message naming them.
 */
class IdempotentHandlerMethodValidatorTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DispatcherServletAutoConfiguration.class,
                    WebMvcAutoConfiguration.class,
                    IdempotencyAutoConfiguration.class,
                    IdempotencyWebMvcAutoConfiguration.class));

    @Test
    void streamingHandlersFailStartupNamingEachMethod() {
        this.runner.withUserConfiguration(StreamingController.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("StreamingController#stream()")
                    .hasMessageContaining("StreamingResponseBody")
                    .hasMessageContaining("StreamingController#events()")
                    .hasMessageContaining("ResponseBodyEmitter")
                    .hasMessageContaining("StreamingController#later()")
                    .hasMessageContaining("CompletionStage");
        });
    }

    @Test
    void invalidTtlAttributeFailsStartupNamingTheMethod() {
        this.runner.withUserConfiguration(BadTtlController.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("BadTtlController#create()")
                    .hasMessageContaining("soon");
        });
    }

    @Test
    void completeResponsesAndSafeMethodsStartNormally() {
        this.runner
                .withUserConfiguration(FineController.class)
                .run((context) -> assertThat(context).hasNotFailed());
    }

    @RestController
    static class StreamingController {

        @PostMapping("/stream")
        @Idempotent
        ResponseEntity<StreamingResponseBody> stream() {
            return ResponseEntity.ok((out) -> out.write(1));
        }

        @PostMapping("/events")
        @Idempotent
        SseEmitter events() {
            return new SseEmitter();
        }

        @PostMapping("/later")
        @Idempotent
        CompletableFuture<String> later() {
            return CompletableFuture.completedFuture("done");
        }
    }

    @RestController
    static class BadTtlController {

        @PostMapping("/create")
        @Idempotent(ttl = "soon")
        String create() {
            return "created";
        }
    }

    @RestController
    @Idempotent
    static class FineController {

        @PostMapping("/create")
        ResponseEntity<String> create() {
            return ResponseEntity.ok("created");
        }

        @GetMapping("/stream")
        StreamingResponseBody read() {
            return (out) -> out.write(1);
        }
    }
}
