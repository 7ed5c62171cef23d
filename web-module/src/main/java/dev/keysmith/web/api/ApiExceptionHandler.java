package dev.keysmith.web.api;

import dev.keysmith.keys.KeysmithException;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every refusal of an API controller as problem+json with a stable code (the filter handles credentials). */
@RestControllerAdvice(basePackageClasses = ApiExceptionHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(KeysmithException.class)
    ResponseEntity<ProblemDetail> refusal(KeysmithException refusal, HttpServletRequest request) {
        Map<String, Object> facts = new LinkedHashMap<>(refusal.details());
        int status;
        String code = refusal.code();
        String detail = refusal.getMessage();
        if (refusal instanceof KeysmithException.InvalidInput invalid) {
            status = 400;
            code = "invalid_request";
            detail = invalid.errors().size() == 1 ? invalid.getMessage()
                    : invalid.errors().size() + " fields are invalid: " + String.join(" ",
                    invalid.errors().stream().map(KeysmithException.FieldError::message).toList());
            facts.put("errors", invalid.errors().stream().map(error -> Map.of(
                    "field", error.field(), "code", error.code(), "message", error.message())).toList());
        } else if (refusal instanceof KeysmithException.NotFound) {
            status = 404;
        } else if (refusal instanceof KeysmithException.Forbidden) {
            status = 403;
        } else if (refusal instanceof KeysmithException.RateLimited) {
            status = 429;
        } else {
            status = 409;
        }
        return problem(request, status, code, detail, facts);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        String cause = e.getMostSpecificCause().getMessage();
        String firstLine = cause == null ? "" : cause.lines().findFirst().orElse("");
        return problem(request, 400, "malformed_json", "The body is not valid JSON of the expected shape"
                + (firstLine.isBlank() ? "." : ": " + abbreviate(firstLine)), Map.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return invalid(request, e.getName(), e.getName() + " must be "
                + (e.getRequiredType() == null ? "valid" : "a " + e.getRequiredType().getSimpleName().toLowerCase())
                + "; got \"" + abbreviate(String.valueOf(e.getValue())) + "\".");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e, HttpServletRequest request) {
        return invalid(request, e.getParameterName(), e.getParameterName() + " is required.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return problem(request, 405, "method_not_allowed", request.getMethod() + " is not supported here; use "
                + String.join(", ", e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods()) + ".",
                Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return problem(request, 415, "unsupported_media_type",
                "Send the body as JSON with Content-Type: application/json.", Map.of());
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> conflict(ConcurrencyException e, HttpServletRequest request) {
        return problem(request, 409, "concurrent_modification",
                "Another change to the same item happened at the same moment; nothing was changed. Retry.", Map.of());
    }

    @ExceptionHandler({EventStoreException.class, TransactionException.class, CommandExecutionException.class,
            org.axonframework.common.jdbc.JdbcException.class, org.springframework.dao.DataAccessException.class,
            com.mongodb.MongoException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e, HttpServletRequest request) {
        log.warn("Store unavailable while handling {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
        return problem(request, 503, "service_unavailable",
                "A data store did not answer; nothing was changed. Retry in a few seconds.",
                Map.of(Problems.RETRY_AFTER, 5));
    }

    private ResponseEntity<ProblemDetail> invalid(HttpServletRequest request, String field, String message) {
        KeysmithException.FieldError error = KeysmithException.FieldError.of(field, message);
        return problem(request, 400, "invalid_request", message, Map.of("errors", List.of(Map.of(
                "field", error.field(), "code", error.code(), "message", error.message()))));
    }

    static ResponseEntity<ProblemDetail> problem(HttpServletRequest request, int status, String code, String detail,
                                                 Map<String, Object> facts) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.valueOf(status))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (facts.get(Problems.RETRY_AFTER) != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(facts.get(Problems.RETRY_AFTER)));
        }
        return response.contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(request, status, code, detail, facts));
    }

    private static String abbreviate(String value) {
        return value.length() > 160 ? value.substring(0, 157) + "..." : value;
    }
}
