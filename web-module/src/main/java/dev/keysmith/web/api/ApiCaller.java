package dev.keysmith.web.api;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.VerifiedKey;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** A program authenticated by an API key: the key and its tenant. Never holds the secret. */
public final class ApiCaller extends AbstractAuthenticationToken {

    private final VerifiedKey key;
    private final String clientId;

    public ApiCaller(VerifiedKey key, String clientId) {
        super(AuthorityUtils.createAuthorityList("ROLE_API_KEY"));
        this.key = key;
        this.clientId = clientId;
        setAuthenticated(true);
    }

    public ApiKeyId keyId() {
        return key.keyId();
    }

    public TenantId tenantId() {
        return key.tenantId();
    }

    public Environment environment() {
        return key.environment();
    }

    public VerifiedKey key() {
        return key;
    }

    public String clientId() {
        return clientId;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return key.keyId().value();
    }
}
