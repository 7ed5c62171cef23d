package dev.keysmith.keys;

import java.time.Instant;
import java.util.List;

/** A tenant as the key table, settings page and verification see it. */
public record TenantView(TenantId id, String name, String clientId, long teamNumber, Plan plan, List<String> brands,
                         Instant created) {
}
