package dev.keysmith.web.security;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Credentials;
import dev.keysmith.keys.MemberView;
import dev.keysmith.keys.TenantDirectory;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Loads a member for sign-in: credentials from the credentials store, role from the member directory. Not a
 * {@code UserDetailsService} bean on purpose: the only authentication provider is the throttling one.
 */
@Component
class MemberDetailsService {

    private final Accounts accounts;
    private final TenantDirectory directory;

    MemberDetailsService(Accounts accounts, TenantDirectory directory) {
        this.accounts = accounts;
        this.directory = directory;
    }

    KeysmithPrincipal loadUserByUsername(String email) {
        return accounts.credentials(email)
                .flatMap(credentials -> principal(credentials, true))
                .orElseThrow(() -> new UsernameNotFoundException("no such member"));
    }

    Optional<KeysmithPrincipal> principal(Credentials credentials, boolean withPassword) {
        Optional<MemberView> member = directory.member(credentials.tenantId(), credentials.memberId());
        return member.map(view -> new KeysmithPrincipal(view.id(), view.tenantId(), view.email(), view.role(),
                credentials.mustChangePassword(), withPassword ? credentials.passwordHash() : null));
    }
}
