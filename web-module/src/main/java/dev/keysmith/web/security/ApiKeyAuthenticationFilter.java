package dev.keysmith.web.security;

import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.UsageRecorder;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.Verification;
import dev.keysmith.web.api.ApiCaller;
import dev.keysmith.web.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Set;

/**
 * Authenticates every {@code /api/v1/**} request by its {@code Authorization: Bearer <key>} header (and the optional
 * {@code X-Access-Client-Id}), from memory, before any controller runs. A refusal is answered here as problem+json
 * with its stable code. Every request of a known key, served or refused, is counted for its usage. Public routes (the OpenAPI document, ping, and the temporary-key route, which has its own
 * service token) pass through unauthenticated.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final Set<String> PUBLIC = Set.of("/api/v1/ping", "/api/v1/keys/temporary-key");

    private final Verification verification;
    private final ClientIpResolver clientIp;
    private final Problems problems;
    private final UsageRecorder usage;

    ApiKeyAuthenticationFilter(Verification verification, ClientIpResolver clientIp, Problems problems,
                               UsageRecorder usage) {
        this.verification = verification;
        this.clientIp = clientIp;
        this.problems = problems;
        this.usage = usage;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return PUBLIC.contains(request.getRequestURI().substring(request.getContextPath().length()));
    }

    /** The display prefix of the key a matched header carries (its last word), for the request log. */
    private static String presentedPrefix(String authorization) {
        String key = authorization.strip();
        return KeySecrets.displayPrefix(key.substring(key.lastIndexOf(' ') + 1));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant now = Instant.now();
        InetAddress caller = clientIp.resolve(request);
        Verification.Result result = verification.verifyHeader(request.getHeader("Authorization"),
                request.getHeader("X-Access-Client-Id"), caller, now);
        if (result.key() != null) {
            request.setAttribute(RequestLogFilter.KEY_ATTRIBUTE, result.key());
            request.setAttribute(RequestLogFilter.PREFIX_ATTRIBUTE, presentedPrefix(request.getHeader("Authorization")));
        }
        if (!result.ok()) {
            if (result.key() != null) {
                usage.record(result.key(), result.code().status(), IpAllowlist.text(caller), now);
            }
            if (result.code().status() == 401) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"keysmith\", error=\"invalid_token\"");
            }
            problems.write(request, response, result.code().status(), result.code().code(), result.detail(),
                    result.facts());
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new ApiCaller(result.key(), result.tenant().clientId()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
            usage.record(result.key(), response.getStatus(), IpAllowlist.text(caller), now);
        }
    }
}
