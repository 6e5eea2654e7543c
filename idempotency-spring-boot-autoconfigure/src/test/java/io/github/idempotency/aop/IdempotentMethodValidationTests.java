package io.github.idempotency.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.Idempotent;
import io.github.idempotency.KeySource;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyMethodAutoConfiguration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Startup checks of {@code @Idempotent} bean methods: a declaration that cannot work fails startup with a
 * message naming the method; Spring MVC handler methods are left to the servlet front door.
 */
class IdempotentMethodValidationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    IdempotencyAutoConfiguration.class, IdempotencyMethodAutoConfiguration.class));

    @Test
    void methodWithoutKeyFailsStartupNamingIt() {
        this.contextRunner
                .withBean(WithoutKey.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(WithoutKey.class.getName() + "#handle(String)")
                        .hasStackTraceContaining("has no key"));
    }

    @Test
    void unparsableKeyFailsStartupNamingTheMethodAndTheExpression() {
        this.contextRunner
                .withBean(UnparsableKey.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("@Idempotent(key = \"#event.(id\")")
                        .hasStackTraceContaining(UnparsableKey.class.getName() + "#handle(String)"));
    }

    @Test
    void futureReturnTypeFailsStartupNamingTheMethod() {
        this.contextRunner
                .withBean(ReturnsFuture.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(ReturnsFuture.class.getName() + "#handle(String)")
                        .hasStackTraceContaining("returns CompletionStage"));
    }

    @Test
    void streamReturnTypeFailsStartup() {
        this.contextRunner
                .withBean(ReturnsStream.class)
                .run((context) ->
                        assertThat(context).getFailure().rootCause().hasStackTraceContaining("returns BaseStream"));
    }

    @Test
    void payloadKeySourceOnABeanMethodFailsStartupNamingIt() {
        this.contextRunner
                .withBean(PayloadKeyed.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(PayloadKeyed.class.getName() + "#handle(String)")
                        .hasStackTraceContaining("keySource = PAYLOAD"));
    }

    @Test
    void invalidTtlFailsStartupNamingTheMethod() {
        this.contextRunner
                .withBean(InvalidTtl.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(InvalidTtl.class.getName() + "#handle(String)")
                        .hasStackTraceContaining("ttl = \"soon\""));
    }

    @Test
    void userScopeOnABeanMethodFailsStartup() {
        this.contextRunner
                .withBean(UserScoped.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("has scope USER, which needs an HTTP request"));
    }

    @Test
    void annotationOnATypeThatIsNotAControllerFailsStartup() {
        this.contextRunner
                .withBean(AnnotatedType.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("@Idempotent on type " + AnnotatedType.class.getName())
                        .hasStackTraceContaining("annotate the methods"));
    }

    @Test
    void transactionalMethodWithoutATransactionalStoreFailsStartupNamingIt() {
        this.contextRunner
                .withBean(Transactional.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("@Idempotent(transactional = true) on " + Transactional.class.getName()
                                + "#handle(String)")
                        .hasStackTraceContaining("needs the JDBC store"));
    }

    @Test
    void springMvcHandlerMethodIsNotAdvised() {
        this.contextRunner.withBean(Controller.class).run((context) -> {
            assertThat(context).hasNotFailed();
            Controller controller = context.getBean(Controller.class);

            controller.create("no key here");
            controller.create("no key here");

            assertThat(AopUtils.isAopProxy(controller)).isFalse();
            assertThat(controller.runs).hasValue(2);
        });
    }

    @ParameterizedTest
    @CsvSource({
        "io.github.idempotency.aop.IdempotentMethodValidationTests$PrivateMethod, private",
        "io.github.idempotency.aop.IdempotentMethodValidationTests$FinalMethod, final",
        "io.github.idempotency.aop.IdempotentMethodValidationTests$StaticMethod, static"
    })
    void methodTheProxyCannotInterceptFailsStartupNamingIt(Class<?> type, String kind) {
        this.contextRunner
                .withBean(type)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(type.getName() + "#handle(String)")
                        .hasStackTraceContaining("is " + kind + ": the bean's proxy cannot intercept it"));
    }

    @Test
    void protectedMethodIsCheckedAtStartupLikeAPublicOne() {
        this.contextRunner
                .withBean(ProtectedWithoutKey.class)
                .run((context) -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(ProtectedWithoutKey.class.getName() + "#handle(String)")
                        .hasStackTraceContaining("has no key"));
    }

    @Test
    void validMethodIsAdvised() {
        this.contextRunner.withBean(Valid.class).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(AopUtils.isAopProxy(context.getBean(Valid.class))).isTrue();
        });
    }

    public static class WithoutKey {

        @Idempotent
        public void handle(String event) {}
    }

    public static class PrivateMethod {

        public void receive(String event) {
            handle(event);
        }

        @Idempotent(key = "#event")
        private void handle(String event) {}
    }

    public static class FinalMethod {

        @Idempotent(key = "#event")
        public final void handle(String event) {}
    }

    public static class StaticMethod {

        @Idempotent(key = "#event")
        public static void handle(String event) {}
    }

    public static class ProtectedWithoutKey {

        @Idempotent
        protected void handle(String event) {}
    }

    public static class UnparsableKey {

        @Idempotent(key = "#event.(id")
        public void handle(String event) {}
    }

    public static class ReturnsFuture {

        @Idempotent(key = "#event")
        public CompletableFuture<String> handle(String event) {
            return CompletableFuture.completedFuture(event);
        }
    }

    public static class ReturnsStream {

        @Idempotent(key = "#event")
        public Stream<String> handle(String event) {
            return Stream.of(event);
        }
    }

    public static class PayloadKeyed {

        @Idempotent(key = "#event", keySource = KeySource.PAYLOAD)
        public void handle(String event) {}
    }

    public static class InvalidTtl {

        @Idempotent(key = "#event", ttl = "soon")
        public void handle(String event) {}
    }

    public static class UserScoped {

        @Idempotent(key = "#event", scope = IdempotencyScope.USER)
        public void handle(String event) {}
    }

    @Idempotent(key = "#event")
    public static class AnnotatedType {

        public void handle(String event) {}
    }

    public static class Transactional {

        @Idempotent(key = "#event", transactional = true)
        public void handle(String event) {}
    }

    public static class Valid {

        @Idempotent(key = "#event")
        public void handle(String event) {}
    }

    @RestController
    public static class Controller {

        final AtomicInteger runs = new AtomicInteger();

        @PostMapping("/things")
        @Idempotent
        public String create(String body) {
            this.runs.incrementAndGet();
            return body;
        }
    }
}
