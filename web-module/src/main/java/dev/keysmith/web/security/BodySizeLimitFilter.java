package dev.keysmith.web.security;

import dev.keysmith.web.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;

/** Refuses API request bodies over {@value #MAX_BYTES} bytes with 413 problem+json, before anything reads them. */
class BodySizeLimitFilter extends OncePerRequestFilter {

    static final int MAX_BYTES = 64 * 1024;

    private final Problems problems;

    BodySizeLimitFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        boolean chunked = length < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        if (length > MAX_BYTES || chunked) {
            problems.write(request, response, 413, "payload_too_large", chunked
                    ? "Send the body with a Content-Length (at most " + MAX_BYTES + " bytes); chunked bodies are not accepted."
                    : "The body has " + length + " bytes; the API accepts at most " + MAX_BYTES + ".",
                    Map.of("maxBytes", MAX_BYTES));
            return;
        }
        chain.doFilter(request, response);
    }
}
