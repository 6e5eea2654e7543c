package com.example.payments.api;

import com.example.payments.gateway.CardDeclinedException;
import com.example.payments.gateway.GatewayUnavailableException;
import com.example.payments.payment.PaymentNotFoundException;
import com.example.payments.payment.RefundExceedsRemainingException;
import com.example.payments.payment.RefundNotFoundException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the API's failures into problem details (RFC 9457) that say what went wrong and never carry a stack
 * trace.
 *
 * <p>The answers matter beyond this app: the idempotency starter records a 4xx that the handler decided (a
 * decline, a refund too large), so that a retry gets the same answer, but releases the key after a request
 * that failed validation (it never started) and after a 5xx (the outcome is unknown), so that a retry runs
 * again. A gateway failure is therefore a 5xx, and a decline a 402.
 *
 * <p>A database that is out of connections (the pool's wait timed out), refuses connections, or cancelled a
 * statement answers {@code 503} with {@code Retry-After}, never {@code 500}: the client can tell a passing
 * overload, worth a retry with the same key, from a bug.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    /** Long enough for a burst that exhausted the connection pool to drain; short enough not to be felt. */
    private static final int DATABASE_RETRY_AFTER_SECONDS = 2;

    @ExceptionHandler
    ProblemDetail cardDeclined(CardDeclinedException ex) {
        return Problems.create(
                HttpStatus.PAYMENT_REQUIRED,
                Problems.CARD_DECLINED,
                "Card declined",
                "The card " + ex.getSource()
                        + " was declined by its issuer; nothing was charged. Pay with another card.");
    }

    @ExceptionHandler
    ProblemDetail gatewayUnavailable(GatewayUnavailableException ex) {
        return Problems.create(
                HttpStatus.BAD_GATEWAY,
                Problems.GATEWAY_UNAVAILABLE,
                "Gateway unavailable",
                ex.getMessage() + "; nothing was charged. Retry with the same Idempotency-Key.");
    }

    @ExceptionHandler({PaymentNotFoundException.class, RefundNotFoundException.class})
    ProblemDetail notFound(RuntimeException ex) {
        return Problems.create(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found", ex.getMessage() + ".");
    }

    @ExceptionHandler
    ProblemDetail refundExceedsRemaining(RefundExceedsRemainingException ex) {
        return Problems.create(
                HttpStatus.UNPROCESSABLE_CONTENT,
                Problems.REFUND_EXCEEDS_REMAINING,
                "Refund exceeds remaining amount",
                ex.getMessage() + ".");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .toList();
        String detail = errors.stream()
                .map(error -> "'" + error.getField() + "' " + error.getDefaultMessage())
                .collect(Collectors.joining("; ", "", "."));
        ProblemDetail body = invalidRequest(detail);
        body.setProperty(
                "errors",
                errors.stream()
                        .map(error -> Map.of("field", error.getField(), "message", error.getDefaultMessage()))
                        .toList());
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(
                ex, invalidRequest(RequestBodyProblems.describe(ex)), headers, HttpStatus.BAD_REQUEST, request);
    }

    // 400 rather than Spring's 415: the API answers every body it cannot take with one status, so that
    // clients have a single "fix the request" case.
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        MediaType sent = ex.getContentType();
        String detail = "The request body must be JSON (Content-Type: application/json), not "
                + ((sent != null) ? sent.toString() : "a body without a Content-Type") + ".";
        return handleExceptionInternal(ex, invalidRequest(detail), headers, HttpStatus.BAD_REQUEST, request);
    }

    // An id that is not a UUID names no payment, which is a 404, like any other unknown id.
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex instanceof MethodArgumentTypeMismatchException mismatch
                && mismatch.getParameter().hasParameterAnnotation(PathVariable.class)) {
            ProblemDetail body = Problems.create(
                    HttpStatus.NOT_FOUND,
                    Problems.NOT_FOUND,
                    "Not found",
                    "'" + mismatch.getValue() + "' is not the id of anything here: ids are UUIDs.");
            return handleExceptionInternal(ex, body, headers, HttpStatus.NOT_FOUND, request);
        }
        return super.handleTypeMismatch(ex, headers, status, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        if (TransientDatabaseFailures.isTransient(ex)) {
            logger.warn("Database unavailable, answering 503: " + ex);
            ProblemDetail problem = Problems.create(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    Problems.SERVICE_UNAVAILABLE,
                    "Service unavailable",
                    "The database is busy or cannot be reached, so the request could not be completed. Retry it"
                            + " with the same Idempotency-Key after " + DATABASE_RETRY_AFTER_SECONDS + " seconds.");
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(DATABASE_RETRY_AFTER_SECONDS))
                    .body(problem);
        }
        logger.error("Unexpected failure", ex);
        return ResponseEntity.internalServerError()
                .body(Problems.create(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        Problems.INTERNAL_ERROR,
                        "Internal error",
                        "The server failed to handle the request; it has been logged."));
    }

    private static ProblemDetail invalidRequest(String detail) {
        return Problems.create(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST, "Invalid request", detail);
    }
}
