package io.github.idempotency.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.Idempotent;
import io.github.idempotency.KeySource;
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
import org.springframework.web.bind.annotation.RequestBody;
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
    void unparsableKeyExpressionFailsStartupNamingTheMethodAndTheExpression() {
        this.runner.withUserConfiguration(BadKeyController.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("@Idempotent(key = \"#body['id'\") on ")
                    .hasMessageContaining("BadKeyController#unparsable(String) is not a valid SpEL expression")
                    .hasMessageContaining("@Idempotent(key = \"#event.id\") on ")
                    .hasMessageContaining(
                            "BadKeyController#methodStyle(String) reads #event, which a request does not have");
        });
    }

    @Test
    void keyExpressionTogetherWithPayloadKeySourceFailsStartupNamingTheMethod() {
        this.runner.withUserConfiguration(TwoKeySourcesController.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("@Idempotent(key = \"#body.id\", keySource = PAYLOAD) on ")
                    .hasMessageContaining("TwoKeySourcesController#receive(String) names two sources of the key");
        });
    }

    @Test
    void payloadKeysLongerThanTheLongestAcceptedKeyFailStartupNamingTheProperty() {
        this.runner
                .withUserConfiguration(PayloadKeyController.class)
                .withPropertyValues("idempotency.max-key-length=32")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasMessageContaining("PayloadKeyController#receive(String)")
                            .hasMessageContaining("idempotency.max-key-length (32)");
                });
    }

    @Test
    void validKeyExpressionsAndPayloadKeysStartNormally() {
        this.runner
                .withUserConfiguration(PayloadKeyController.class, DerivedKeyController.class)
                .run((context) -> assertThat(context).hasNotFailed());
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
    static class BadKeyController {

        @PostMapping("/unparsable")
        @Idempotent(key = "#body['id'")
        String unparsable(@RequestBody String body) {
            return "received";
        }

        @PostMapping("/method-style")
        @Idempotent(key = "#event.id")
        String methodStyle(@RequestBody String event) {
            return "received";
        }
    }

    @RestController
    static class TwoKeySourcesController {

        @PostMapping("/receive")
        @Idempotent(key = "#body.id", keySource = KeySource.PAYLOAD)
        String receive(@RequestBody String body) {
            return "received";
        }
    }

    @RestController
    static class PayloadKeyController {

        @PostMapping("/payload")
        @Idempotent(keySource = KeySource.PAYLOAD)
        String receive(@RequestBody String body) {
            return "received";
        }
    }

    @RestController
    static class DerivedKeyController {

        @PostMapping("/orders/{id}")
        @Idempotent(key = "#pathVariables.id + ':' + #headers['X-Attempt'] + #query['v'] + #body?.id")
        String receive(@RequestBody String body) {
            return "received";
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
