package dev.keysmith.web.security;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.MemberId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Signs a member in without a password form (right after sign-up), with a fresh session id. */
@Component
public class SignIn {

    private final Accounts accounts;
    private final MemberDetailsService members;
    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();

    SignIn(Accounts accounts, MemberDetailsService members) {
        this.accounts = accounts;
        this.members = members;
    }

    public void as(MemberId memberId, HttpServletRequest request, HttpServletResponse response) {
        KeysmithPrincipal principal = accounts.credentials(memberId)
                .flatMap(credentials -> members.principal(credentials, false))
                .orElseThrow(() -> new IllegalStateException("member " + memberId + " cannot sign in"));
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities()));
        SecurityContextHolder.setContext(context);
        repository.saveContext(context, request, response);
    }
}
