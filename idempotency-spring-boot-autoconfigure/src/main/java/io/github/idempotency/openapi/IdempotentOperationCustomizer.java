package io.github.idempotency.openapi;

import io.github.idempotency.IdempotencyHeaders;
import io.github.idempotency.Idempotent;
import io.github.idempotency.KeySource;
import io.github.idempotency.UnsafeHttpMethods;
import io.github.idempotency.web.IdempotencyProblem;
import io.github.idempotency.web.IdempotentHandlerMethods;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents what {@code @Idempotent} adds to an operation in the OpenAPI document that springdoc-openapi
 * generates: the key's request header (required or not, as the annotation says), the
 * {@code Idempotent-Replayed} header of replayed responses, and the problem answers ({@code 400},
 * {@code 409}, {@code 413}, {@code 422}, {@code 503}, {@code application/problem+json}). Answers the
 * application documents itself are left as they are. Handlers mapped to safe methods only are left alone,
 * as they are never intercepted.
 */
public class IdempotentOperationCustomizer implements OperationCustomizer {

    private static final String PROBLEM_JSON = "application/problem+json";

    private final String headerName;

    private final int maxKeyLength;

    /**
     * Creates a customizer.
     * @param headerName the request header carrying the key ({@code idempotency.header-name})
     * @param maxKeyLength the longest key accepted ({@code idempotency.max-key-length})
     */
    public IdempotentOperationCustomizer(String headerName, int maxKeyLength) {
        this.headerName = headerName;
        this.maxKeyLength = maxKeyLength;
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        Idempotent idempotent = IdempotentHandlerMethods.findAnnotation(handlerMethod);
        if (idempotent == null || !mapsUnsafeMethod(handlerMethod)) {
            return operation;
        }
        // A key the server derives (an expression, or the payload) is not the client's to send.
        if (idempotent.key().isEmpty() && idempotent.keySource() != KeySource.PAYLOAD) {
            operation.addParametersItem(keyHeader(idempotent.required()));
        }
        ApiResponses responses = operation.getResponses();
        if (responses == null) {
            responses = new ApiResponses();
            operation.setResponses(responses);
        }
        responses.values().forEach(this::addReplayedHeader);
        problems().forEach((status, response) -> {
            if (!operation.getResponses().containsKey(status)) {
                operation.getResponses().addApiResponse(status, response);
            }
        });
        return operation;
    }

    private static boolean mapsUnsafeMethod(HandlerMethod handlerMethod) {
        RequestMapping mapping =
                AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(), RequestMapping.class);
        return mapping == null
                || mapping.method().length == 0
                || Arrays.stream(mapping.method()).anyMatch((method) -> UnsafeHttpMethods.includes(method.name()));
    }

    private HeaderParameter keyHeader(boolean required) {
        HeaderParameter header = new HeaderParameter();
        header.setName(this.headerName);
        header.setRequired(required);
        header.setDescription("A unique value for each logical operation, sent again unchanged with every retry"
                + " of it: the first request runs the operation, retries get its recorded response. Bare"
                + " (abc-123) or as a structured-field string (\"abc-123\")."
                + (required ? "" : " Without it the request runs unprotected."));
        header.setSchema(new StringSchema().minLength(1).maxLength(this.maxKeyLength));
        return header;
    }

    private void addReplayedHeader(ApiResponse response) {
        Header replayed = new Header()
                .description("true when this is the recorded response of an earlier request with the same key,"
                        + " sent again without running the operation")
                .schema(new StringSchema()._enum(List.of("true")));
        response.addHeaderObject(IdempotencyHeaders.REPLAYED, replayed);
    }

    private static Map<String, ApiResponse> problems() {
        Map<String, ApiResponse> problems = new LinkedHashMap<>();
        problems.put("400", problem(IdempotencyProblem.MISSING_KEY, IdempotencyProblem.INVALID_KEY));
        problems.put("409", problem(IdempotencyProblem.IN_PROGRESS).addHeaderObject("Retry-After", retryAfter()));
        problems.put("413", problem(IdempotencyProblem.REQUEST_TOO_LARGE));
        problems.put("422", problem(IdempotencyProblem.KEY_REUSED));
        problems.put("503", problem(IdempotencyProblem.STORE_UNAVAILABLE).addHeaderObject("Retry-After", retryAfter()));
        return problems;
    }

    private static ApiResponse problem(IdempotencyProblem... kinds) {
        String description = Arrays.stream(kinds)
                .map((kind) -> kind.getTitle() + " (" + kind.getType() + ")")
                .collect(Collectors.joining("; "));
        return new ApiResponse()
                .description(description)
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(problemSchema())));
    }

    @SuppressWarnings("rawtypes") // Schema's property map is raw in the swagger model
    private static Schema<?> problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().format("uri"));
        properties.put("title", new StringSchema());
        properties.put("status", new IntegerSchema());
        properties.put("detail", new StringSchema());
        properties.put("instance", new StringSchema().format("uri"));
        return new ObjectSchema().description("RFC 9457 problem details").properties(properties);
    }

    private static Header retryAfter() {
        return new Header()
                .description("Seconds to wait before retrying with the same key")
                .schema(new IntegerSchema());
    }
}
