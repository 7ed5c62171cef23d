package dev.keysmith.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.Environment;

import java.time.Instant;
import java.util.List;

/**
 * A key in the API (seed-compatible: {@code key} is the public id and {@code alias} the name). {@code secret} is
 * present only in the create and rotate responses; {@code usageSpike} is true while the key's request rate is in a
 * spike episode.
 */
record KeyJson(String id, String key, String name, String alias, Environment environment, String prefix,
               String last4, String brand, List<String> ips, Instant created, Instant expires, Instant lastUsed,
               long usageCount, String status, Instant rotatedAt, boolean usageSpike,
               @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    static KeyJson of(ApiKeyView view, String secret) {
        return new KeyJson(view.id().value(), view.id().value(), view.name(), view.name(), view.environment(),
                view.prefix(), view.last4(), view.brand(), view.ips(), view.created(), view.expires(), view.lastUsed(),
                view.usageCount(), view.status(Instant.now()).json(), view.rotatedAt(), view.spiking(), secret);
    }

    static KeyJson of(ApiKeyView view) {
        return of(view, null);
    }
}
