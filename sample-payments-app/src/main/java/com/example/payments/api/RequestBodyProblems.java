package com.example.payments.api;

import java.util.stream.Collectors;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Explains to the caller why a request body could not be read, without Jackson's class names or internals.
 */
final class RequestBodyProblems {

    private RequestBodyProblems() {}

    /**
     * Describes what is wrong with an unreadable body.
     * @param ex the failure to read the body
     * @return a sentence the caller can act on
     */
    static String describe(HttpMessageNotReadableException ex) {
        if (!(ex.getCause() instanceof JacksonException cause)) {
            return "The request body is missing or unreadable: send a JSON object.";
        }
        // Number overflow is reported by the parser, but it is about a value, not about the JSON syntax.
        if (cause instanceof StreamReadException && !(cause instanceof InputCoercionException)) {
            return "The request body is not well-formed JSON" + at(cause.getLocation()) + ".";
        }
        if (cause.getPath().isEmpty()) {
            return "The request body must be a JSON object.";
        }
        return "'%s' has a value of the wrong type: expected %s.".formatted(path(cause), expected(cause));
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line %d, column %d)".formatted(location.getLineNr(), location.getColumnNr());
    }

    private static String path(JacksonException ex) {
        return ex.getPath().stream()
                .map(ref -> (ref.getPropertyName() != null) ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String expected(JacksonException ex) {
        Class<?> target = null;
        if (ex instanceof MismatchedInputException mismatch) {
            target = mismatch.getTargetType();
        } else if (ex instanceof InputCoercionException coercion) {
            target = coercion.getTargetType();
        }
        if (target == Long.class || target == long.class || target == Integer.class || target == int.class) {
            return "a whole number within range";
        }
        if (target == String.class) {
            return "a string";
        }
        return "another type";
    }
}
