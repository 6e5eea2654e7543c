package io.github.idempotency.web;

import java.util.Set;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

/**
 * Records what the operation decided and releases the key when it never ran or its outcome is unknown:
 * <ul>
 * <li>2xx and 3xx are recorded: the operation happened;</li>
 * <li>4xx from the handler's own logic (402 declined, 404, 409) are recorded: a retry must not turn a
 * decline into a charge;</li>
 * <li>request validation failures (binding, parsing, {@code @Valid}) are released: the operation never
 * started, and the corrected request may reuse the key;</li>
 * <li>401 and 403 are released, however the handler or its exception handler came to answer them (method
 * security, a signature checked in the handler): the caller was not allowed to run the operation, and a
 * caller who is must not get that answer replayed;</li>
 * <li>408, 425 and 429 are released: transient by definition;</li>
 * <li>5xx are released: the outcome failed or is unknown, and a retry must be able to run again.</li>
 * </ul>
 * Uncaught exceptions never reach the policy: they always release the key.
 */
public class DefaultIdempotencyRecordPolicy implements IdempotencyRecordPolicy {

    private static final Set<Integer> RELEASED_CLIENT_ERRORS = Set.of(401, 403, 408, 425, 429);

    private static final Set<String> VALIDATION_EXCEPTION_NAMES =
            Set.of("jakarta.validation.ConstraintViolationException");

    @Override
    public boolean shouldRecord(HandlerOutcome outcome) {
        int status = outcome.status();
        if (status >= 500 || RELEASED_CLIENT_ERRORS.contains(status)) {
            return false;
        }
        return outcome.exception() == null || !isRequestValidationFailure(outcome.exception());
    }

    /**
     * Returns whether an exception means the request was rejected before the operation started.
     * @param exception the exception behind the response
     * @return whether it is a request validation failure
     */
    protected boolean isRequestValidationFailure(Throwable exception) {
        return exception instanceof BindException
                || exception instanceof HandlerMethodValidationException
                || exception instanceof HttpMessageNotReadableException
                || exception instanceof ServletRequestBindingException
                || exception instanceof TypeMismatchException
                || exception instanceof HttpMediaTypeNotSupportedException
                || exception instanceof MissingServletRequestPartException
                || VALIDATION_EXCEPTION_NAMES.contains(exception.getClass().getName());
    }
}
