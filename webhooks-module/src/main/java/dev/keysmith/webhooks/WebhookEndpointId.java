package dev.keysmith.webhooks;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.keysmith.keys.RandomIds;

import java.util.Objects;
import java.util.regex.Pattern;

/** The public identifier of a webhook endpoint: {@code whep_} and 16 base62 characters. */
public record WebhookEndpointId(@JsonValue String value) {

    private static final Pattern FORMAT = Pattern.compile("whep_[0-9A-Za-z]{16}");

    @JsonCreator
    public WebhookEndpointId {
        Objects.requireNonNull(value, "value");
    }

    public static WebhookEndpointId generate() {
        return new WebhookEndpointId("whep_" + RandomIds.base62(16));
    }

    /** Parses an id from a URL or form; a malformed id is simply not found. */
    public static WebhookEndpointId parse(String raw) {
        if (raw == null || !FORMAT.matcher(raw).matches()) {
            throw Webhooks.endpointNotFound();
        }
        return new WebhookEndpointId(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
