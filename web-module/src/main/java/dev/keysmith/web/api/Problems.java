package dev.keysmith.web.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * RFC 9457 problem details with a stable {@code code} and a {@code type} that resolves to this product's page about
 * the code ({@code /docs/errors/<code>}). Used by the API filter (before any controller) and the API's exception
 * handler alike.
 */
@Component
public class Problems {

    /** The fact that also becomes a {@code Retry-After} header (429 limits, 503 while unavailable). */
    static final String RETRY_AFTER = "retryAfterSeconds";

    private final ObjectMapper json;

    Problems(ObjectMapper json) {
        this.json = json;
    }

    /** The request attribute that holds the problem code answered (for the request log). */
    public static final String CODE_ATTRIBUTE = "keysmith.problemCode";

    public static ProblemDetail of(HttpServletRequest request, int status, String code, String detail,
                                   Map<String, Object> facts) {
        request.setAttribute(CODE_ATTRIBUTE, code);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
        problem.setType(URI.create(baseUrl(request) + "/docs/errors/" + code));
        problem.setTitle(ErrorCatalog.title(code, HttpStatus.valueOf(status).getReasonPhrase()));
        problem.setInstance(URI.create(request.getRequestURI()));
        problem.setProperty("code", code);
        facts.forEach(problem::setProperty);
        return problem;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, int status, String code,
                      String detail, Map<String, Object> facts) throws IOException {
        ProblemDetail problem = of(request, status, code, detail, facts);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        if (facts.get(RETRY_AFTER) != null) {
            response.setHeader("Retry-After", String.valueOf(facts.get(RETRY_AFTER)));
        }
        json.writeValue(response.getOutputStream(), problem);
    }

    static String baseUrl(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath();
    }
}
