package dev.keysmith.web.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Optional;

/** The signed-in member of the current request, if any. */
public final class CurrentMember {

    private CurrentMember() {
    }

    public static Optional<KeysmithPrincipal> get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof KeysmithPrincipal principal) {
            return Optional.of(principal);
        }
        return Optional.empty();
    }

    public static KeysmithPrincipal require() {
        return get().orElseThrow(() -> new IllegalStateException("no signed-in member"));
    }
}
