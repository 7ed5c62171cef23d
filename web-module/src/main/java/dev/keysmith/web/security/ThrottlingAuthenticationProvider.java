package dev.keysmith.web.security;

import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import java.time.Duration;

/**
 * Password sign-in with throttling: refuses at once while the email or address is throttled, counts each
 * failure, and clears the account's failures on success. Unknown emails and wrong passwords get the same
 * answer (and the same bcrypt work), so sign-in does not reveal which emails have accounts.
 */
class ThrottlingAuthenticationProvider implements AuthenticationProvider {

    /** Refusal while throttled (an account status, so no other provider is asked); carries how long to wait. */
    static class ThrottledException extends AccountStatusException {
        private final Duration retryAfter;

        ThrottledException(Duration retryAfter) {
            super("Too many failed sign-in attempts");
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    private final DaoAuthenticationProvider delegate;
    private final LoginThrottle throttle;

    ThrottlingAuthenticationProvider(MemberDetailsService members, PasswordEncoder passwords, LoginThrottle throttle) {
        this.delegate = new DaoAuthenticationProvider(members::loadUserByUsername);
        this.delegate.setPasswordEncoder(passwords);
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String email = String.valueOf(authentication.getPrincipal());
        String ip = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : "unknown";
        var wait = throttle.retryAfter(email, ip);
        if (wait.isPresent()) {
            throw new ThrottledException(wait.get());
        }
        try {
            Authentication result = delegate.authenticate(authentication);
            throttle.succeeded(email);
            KeysmithPrincipal principal = ((KeysmithPrincipal) result.getPrincipal()).withoutPassword();
            return UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities());
        } catch (BadCredentialsException e) {
            throttle.failed(email, ip);
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
