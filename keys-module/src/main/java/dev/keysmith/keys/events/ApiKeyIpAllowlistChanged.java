package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

import java.util.List;

/** A key's IP allowlist changed (empty: usable from anywhere). */
@Revision("1")
public record ApiKeyIpAllowlistChanged(ApiKeyId keyId, TenantId tenantId, List<String> from, List<String> to) {
}
