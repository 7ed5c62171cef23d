package dev.keysmith.web.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Unknown API routes answer problem+json like every other API error. */
@RestController
@Hidden
class ApiFallbackController {

    @RequestMapping("/api/**")
    ResponseEntity<ProblemDetail> notFound(HttpServletRequest request) {
        return ApiExceptionHandler.problem(request, 404, "not_found",
                "There is no API route " + request.getMethod() + " " + request.getRequestURI()
                        + ". See /swagger-ui.html.", Map.of());
    }
}
