package dev.keysmith.audit;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The tenant's keys as they were at a past instant, folded from the event store (each key's own events up to that
 * instant; the key ids from the trail), and what changed between two instants (for access reviews).
 */
public interface TimeTravel {

    /** Every key that existed at {@code at}, oldest first, as it was then (status as of {@code at}). */
    List<ApiKeyView> keysAt(TenantId tenantId, Instant at);

    Optional<ApiKeyView> keyAt(TenantId tenantId, ApiKeyId keyId, Instant at);

    /** The changes between {@code from} (exclusive) and {@code to} (inclusive), key by key. */
    List<KeyChange> diff(TenantId tenantId, Instant from, Instant to);

    /**
     * One change of one key between two instants: {@code change} is added, renamed, ips_changed, rotated, revoked,
     * expired or removed_from_list; {@code before} / {@code after} say from what to what, where that means something.
     */
    record KeyChange(String keyId, String name, String prefix, String environment, String change, String before,
                     String after) {
    }
}
