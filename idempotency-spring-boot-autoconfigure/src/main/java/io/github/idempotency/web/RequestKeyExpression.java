package io.github.idempotency.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.ParseException;
import org.springframework.expression.PropertyAccessor;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.DataBindingPropertyAccessor;
import org.springframework.expression.spel.support.SimpleEvaluationContext;
import org.springframework.util.ClassUtils;
import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The key expression of an idempotent handler, {@code @Idempotent(key = "...")}: parsed once, when the
 * handler is first looked at, and evaluated against each request to derive the key the server uses instead
 * of the header. It reads {@code #body} (the JSON body), {@code #headers}, {@code #pathVariables} and
 * {@code #query}; only the variables it names are built for a request, so the body is parsed as JSON only
 * when the expression reads {@code #body}.
 */
final class RequestKeyExpression {

    private static final Log logger = LogFactory.getLog(RequestKeyExpression.class);

    private static final String BODY = "body";

    private static final String HEADERS = "headers";

    private static final String PATH_VARIABLES = "pathVariables";

    private static final String QUERY = "query";

    private static final Set<String> REQUEST_VARIABLES = Set.of(BODY, HEADERS, PATH_VARIABLES, QUERY);

    /** What SpEL itself defines: the root object (none here) and the current object of a selection. */
    private static final Set<String> SPEL_VARIABLES = Set.of("root", "this");

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    private static final PropertyAccessor[] ACCESSORS = {
        new MapEntryAccessor(), DataBindingPropertyAccessor.forReadOnlyAccess()
    };

    private final String text;

    private final SpelExpression expression;

    private final Set<String> variables;

    private RequestKeyExpression(String text, SpelExpression expression, Set<String> variables) {
        this.text = text;
        this.expression = expression;
        this.variables = variables;
    }

    /**
     * Parses a key expression.
     * @param text the expression
     * @return the parsed expression
     * @throws IllegalArgumentException if it cannot be parsed, reads a variable a request does not have, or
     * reads {@code #body} without Jackson on the class path; the message completes a sentence naming the
     * expression
     */
    static RequestKeyExpression parse(String text) {
        SpelExpression expression;
        try {
            expression = PARSER.parseRaw(text);
        } catch (ParseException ex) {
            throw new IllegalArgumentException("is not a valid SpEL expression: " + ex.getMessage(), ex);
        }
        Set<String> variables = new TreeSet<>();
        collectVariables(expression.getAST(), variables);
        Set<String> unknown = new TreeSet<>(variables);
        unknown.removeAll(REQUEST_VARIABLES);
        unknown.removeAll(SPEL_VARIABLES);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("reads #" + String.join(", #", unknown)
                    + ", which a request does not have: a handler's key expression reads #body, #headers, "
                    + "#pathVariables and #query");
        }
        if (variables.contains(BODY)
                && !ClassUtils.isPresent(JsonBody.JACKSON_CLASS, RequestKeyExpression.class.getClassLoader())) {
            throw new IllegalArgumentException("reads #body, the JSON body, which needs Jackson 3 "
                    + "(tools.jackson.core:jackson-databind) on the class path");
        }
        return new RequestKeyExpression(text, expression, variables);
    }

    private static void collectVariables(SpelNode node, Set<String> variables) {
        if (node instanceof VariableReference) {
            // A variable reference prints as '#' and its name.
            variables.add(node.toStringAST().substring(1));
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            collectVariables(node.getChild(i), variables);
        }
    }

    /**
     * Returns the expression as written.
     * @return the expression's text
     */
    String text() {
        return this.text;
    }

    /**
     * Derives a request's key.
     * @param request the request
     * @param body the request's buffered body, empty for form and multipart requests
     * @param keys checks the derived key as a header key would be checked
     * @return the key, or missing when the expression gives no value for this request, or invalid when the
     * body is not JSON or the value cannot be a key
     */
    IdempotencyKeyParser.Result evaluate(HttpServletRequest request, BufferedBody body, IdempotencyKeyParser keys) {
        SimpleEvaluationContext context = SimpleEvaluationContext.forPropertyAccessors(ACCESSORS)
                .withInstanceMethods()
                .build();
        if (this.variables.contains(BODY)) {
            try {
                context.setVariable(BODY, JsonBody.read(body));
            } catch (IllegalArgumentException ex) {
                return IdempotencyKeyParser.Result.invalid("the request body is not valid JSON");
            }
        }
        if (this.variables.contains(HEADERS)) {
            context.setVariable(HEADERS, headers(request));
        }
        if (this.variables.contains(PATH_VARIABLES)) {
            context.setVariable(PATH_VARIABLES, pathVariables(request));
        }
        if (this.variables.contains(QUERY)) {
            context.setVariable(QUERY, query(request.getQueryString()));
        }
        Object value;
        try {
            value = this.expression.getValue(context);
        } catch (EvaluationException ex) {
            // Typically a step through a missing object (#body.data.id without data): the request lacks the key.
            logger.debug("Key expression " + this.text + " gave no value for " + request.getRequestURI(), ex);
            return IdempotencyKeyParser.Result.MISSING;
        }
        if (value == null) {
            return IdempotencyKeyParser.Result.MISSING;
        }
        if (!isKeyValue(value)) {
            return IdempotencyKeyParser.Result.invalid("it is " + describe(value) + ", not a text or a number");
        }
        return keys.check(value.toString());
    }

    private static boolean isKeyValue(Object value) {
        return value instanceof CharSequence
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof Character
                || value instanceof UUID
                || value instanceof Enum;
    }

    private static String describe(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof Collection || value.getClass().isArray()) {
            return "a list";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new LinkedCaseInsensitiveMap<>(Locale.ROOT);
        Enumeration<String> names = request.getHeaderNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            headers.putIfAbsent(name, request.getHeader(name));
        }
        return headers;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> pathVariables(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return (variables instanceof Map<?, ?> map) ? (Map<String, String>) map : Collections.emptyMap();
    }

    /**
     * Returns the first value of each query parameter, decoded. Only the query string: the parameters of a
     * form body are not the query.
     */
    static Map<String, String> query(String queryString) {
        Map<String, String> query = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return query;
        }
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
            query.putIfAbsent(name, (equals >= 0) ? decode(pair.substring(equals + 1)) : "");
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException ex) {
            // A malformed escape is kept as sent rather than failing the request.
            return text;
        }
    }
}
