package dev.keysmith.web.security;

import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;

/** A signed-in member. Kept in the session; the password hash is dropped after authentication. */
public record KeysmithPrincipal(MemberId memberId, TenantId tenantId, String email, Role role,
                                boolean mustChangePassword, String passwordHash) implements UserDetails, Serializable {

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return authorities(role);
    }

    static List<GrantedAuthority> authorities(Role role) {
        return List.of(new SimpleGrantedAuthority("ROLE_" + role.name()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return email;
    }

    KeysmithPrincipal withoutPassword() {
        return new KeysmithPrincipal(memberId, tenantId, email, role, mustChangePassword, null);
    }

    KeysmithPrincipal with(Role newRole, boolean newMustChange) {
        return new KeysmithPrincipal(memberId, tenantId, email, newRole, newMustChange, null);
    }

    @Override
    public String toString() {
        return "KeysmithPrincipal[" + memberId + ", " + tenantId + ", " + role + "]";
    }
}
