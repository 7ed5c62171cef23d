package dev.keysmith.web.security;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Credentials;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps a session true to the member's current state on every request: a removed member is signed out at once,
 * a changed role takes effect at once, and a member with an initial password is sent to change it first.
 */
class MemberSessionFilter extends OncePerRequestFilter {

    static final String CHANGE_PASSWORD = "/account/password";

    private final Accounts accounts;
    private final MemberDetailsService members;

    MemberSessionFilter(Accounts accounts, MemberDetailsService members) {
        this.accounts = accounts;
        this.members = members;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/webjars/") || path.startsWith("/css/") || path.startsWith("/js/")
                || path.startsWith("/api/") || path.equals("/favicon.ico");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<KeysmithPrincipal> signedIn = CurrentMember.get();
        if (signedIn.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        KeysmithPrincipal session = signedIn.get();
        Optional<KeysmithPrincipal> current = accounts.credentials(session.memberId())
                .filter(credentials -> credentials.tenantId().equals(session.tenantId()))
                .flatMap((Credentials credentials) -> members.principal(credentials, false));
        if (current.isEmpty()) {
            request.getSession().invalidate();
            SecurityContextHolder.clearContext();
            response.sendRedirect(request.getContextPath() + "/login?removed");
            return;
        }
        KeysmithPrincipal fresh = current.get();
        if (fresh.role() != session.role() || fresh.mustChangePassword() != session.mustChangePassword()) {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(fresh, null,
                    fresh.getAuthorities()));
            SecurityContextHolder.setContext(context);
            new HttpSessionSecurityContextRepository().saveContext(context, request, response);
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (fresh.mustChangePassword() && !path.equals(CHANGE_PASSWORD) && !path.equals("/logout")
                && !path.equals("/error")) {
            response.sendRedirect(request.getContextPath() + CHANGE_PASSWORD);
            return;
        }
        chain.doFilter(request, response);
    }
}
