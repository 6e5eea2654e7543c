package io.github.idempotency.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.Idempotent;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * What {@link IdempotentOperationCustomizer} adds to an operation it is given.
 */
class IdempotentOperationCustomizerTests {

    private final IdempotentOperationCustomizer customizer = new IdempotentOperationCustomizer("X-Request-Key", 64);

    @Test
    void customizeWhenKeyIsDerivedFromTheRequestThenDocumentsNoHeader() throws Exception {
        Operation operation = this.customizer.customize(new Operation(), handler("webhook"));

        assertThat(operation.getParameters()).isNull();
        assertThat(operation.getResponses()).containsKeys("400", "409", "413", "422", "503");
    }

    @Test
    void customizeThenUsesTheConfiguredHeaderName() throws Exception {
        Operation operation = this.customizer.customize(new Operation(), handler("create"));

        assertThat(operation.getParameters()).singleElement().satisfies((parameter) -> {
            assertThat(parameter.getName()).isEqualTo("X-Request-Key");
            assertThat(parameter.getSchema().getMaxLength()).isEqualTo(64);
        });
    }

    @Test
    void customizeWhenApplicationDocumentsAProblemThenKeepsItsOwn() throws Exception {
        ApiResponse own = new ApiResponse().description("Invalid payment");
        Operation operation = new Operation().responses(new ApiResponses().addApiResponse("400", own));

        this.customizer.customize(operation, handler("create"));

        assertThat(operation.getResponses().get("400").getDescription()).isEqualTo("Invalid payment");
    }

    private static HandlerMethod handler(String name) throws Exception {
        return new HandlerMethod(new Handlers(), Handlers.class.getDeclaredMethod(name));
    }

    static class Handlers {

        @PostMapping("/orders")
        @Idempotent
        void create() {}

        @PostMapping("/webhooks")
        @Idempotent(key = "#body.id")
        void webhook() {}
    }
}
