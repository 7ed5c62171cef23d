package dev.keysmith.keys.events;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** An API key was issued. Carries the SHA-256 of the key, its display prefix and last four characters, never the key. */
@Revision("1")
public record ApiKeyCreated(ApiKeyId keyId, TenantId tenantId, String name, Environment environment, String brand, List<String> ips, Instant expires, String hash, String prefix, String last4, boolean temporary) {
}
