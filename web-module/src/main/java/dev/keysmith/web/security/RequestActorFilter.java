package dev.keysmith.web.security;

import dev.keysmith.keys.Actor;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.web.api.ApiCaller;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Binds the request's {@link Actor} (the signed-in member, the API key, or an anonymous visitor; the client IP as
 * {@link ClientIpResolver} sees it; the user agent
 * and a correlation id) for the commands the request dispatches, and echoes the correlation id as
 * {@code X-Request-Id}. A caller-supplied {@code X-Request-Id} is kept when it is a plain token.
 */
class RequestActorFilter extends OncePerRequestFilter {

    static final String REQUEST_ID = "X-Request-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    private final ClientIpResolver clientIp;

    RequestActorFilter(ClientIpResolver clientIp) {
        this.clientIp = clientIp;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String supplied = request.getHeader(REQUEST_ID);
        String correlationId = supplied != null && SAFE_ID.matcher(supplied).matches()
                ? supplied : UUID.randomUUID().toString();
        response.setHeader(REQUEST_ID, correlationId);
        java.net.InetAddress address = clientIp.resolve(request);
        String ip = address == null ? request.getRemoteAddr() : IpAllowlist.text(address);
        String userAgent = request.getHeader("User-Agent");
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Actor actor;
        if (authentication instanceof ApiCaller caller) {
            actor = new Actor(caller.keyId().value(), Actor.Type.API_KEY, ip, userAgent, correlationId);
        } else if (authentication != null && authentication.getPrincipal() instanceof KeysmithPrincipal member) {
            actor = new Actor(member.memberId().value(), Actor.Type.MEMBER, ip, userAgent, correlationId);
        } else {
            actor = new Actor("anonymous", Actor.Type.VISITOR, ip, userAgent, correlationId);
        }
        try (Actor.Scope ignored = Actor.bind(actor)) {
            chain.doFilter(request, response);
        }
    }
}
