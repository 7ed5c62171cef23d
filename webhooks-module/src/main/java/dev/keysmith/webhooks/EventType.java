package dev.keysmith.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.keysmith.keys.KeysmithException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The types of message an endpoint can subscribe to, with when each fires and an example of its {@code data}.
 * The catalog page (/docs/webhooks) is generated from this enum. No payload ever contains a secret or a hash.
 */
public enum EventType {
    KEY_CREATED("key.created", "An API key was created (in the UI, through the API, or as a temporary key).",
            """
            {"id":"key_3f9Qm2LcVx8pT0aB","name":"Billing service","prefix":"ks_live_Ab12","last4":"x9Yz",\
            "environment":"production","brand":null,"expires":null,"temporary":false}"""),
    KEY_UPDATED("key.updated", "A key was renamed or its IP allowlist changed; changes says what, from and to.",
            """
            {"id":"key_3f9Qm2LcVx8pT0aB","name":"Billing v2","prefix":"ks_live_Ab12","last4":"x9Yz",\
            "environment":"production","changes":{"name":{"from":"Billing service","to":"Billing v2"}}}"""),
    KEY_ROTATED("key.rotated", "A key got a new secret; the previous one works until previousValidUntil.",
            """
            {"id":"key_3f9Qm2LcVx8pT0aB","name":"Billing service","prefix":"ks_live_Kp77","last4":"Q2wE",\
            "environment":"production","previousValidUntil":"2026-11-24T10:00:00Z"}"""),
    KEY_REVOKED("key.revoked", "A key was revoked; reason is manual, leaked, no_longer_needed or expired_cleanup.",
            """
            {"id":"key_3f9Qm2LcVx8pT0aB","name":"Billing service","prefix":"ks_live_Ab12","last4":"x9Yz",\
            "environment":"production","reason":"leaked"}"""),
    KEY_EXPIRED("key.expired", "A key reached its expiry date and is refused from then on.",
            """
            {"id":"key_3f9Qm2LcVx8pT0aB","name":"Billing service","prefix":"ks_live_Ab12","last4":"x9Yz",\
            "environment":"production","expiredAt":"2026-11-23T00:00:00Z"}"""),
    KEY_USAGE_SPIKE("key.usage_spike", "A key's request rate rose far above its recent baseline (once per episode): "
            + "unexpected spikes can mean a leaked key.",
            """
            {"id":"key_3f9Qm2LcVx8pT0aB","name":"Billing service","prefix":"ks_live_Ab12","last4":"x9Yz",\
            "environment":"production","detectedAt":"2026-11-23T10:15:00Z","ratePerMinute":1200.0,\
            "baselinePerMinute":40.0,"multiple":30.0}"""),
    WEBHOOK_TEST("webhook.test", "Someone pressed \"Send test event\" for this endpoint (sent to that endpoint only, "
            + "whatever it subscribes to).",
            """
            {"endpointId":"whep_7GkP0aZb2QmX9cLr","message":"This is a test event from Keysmith."}"""),
    ENDPOINT_DISABLED("endpoint.disabled", "Another endpoint of the workspace was disabled by Keysmith (it answered "
            + "410 Gone, or every delivery failed for days); sent to the workspace's other enabled endpoints that "
            + "subscribe to it.",
            """
            {"endpointId":"whep_7GkP0aZb2QmX9cLr","name":"Orders","url":"https://hooks.example.com/keysmith",\
            "reason":"failing","detail":"No successful delivery since 2026-11-18T10:00:00Z"}""");

    private final String type;
    private final String description;
    private final String exampleData;

    EventType(String type, String description, String exampleData) {
        this.type = type;
        this.description = description;
        this.exampleData = exampleData.strip();
    }

    @JsonValue
    public String type() {
        return type;
    }

    public String description() {
        return description;
    }

    /** An example of the message's {@code data} object. */
    public String exampleData() {
        return exampleData;
    }

    /** An example of the whole message body, as sent. */
    public String examplePayload() {
        return "{\"id\":\"msg_2KWPBgLlAfxdpx2AI54pPJ\",\"type\":\"" + type + "\",\"timestamp\":\"2026-11-23T10:15:02.417Z\","
                + "\"tenantId\":\"ten_8sJd0QpLx2MzR4Tn\",\"environment\":\"production\",\"data\":" + exampleData + "}";
    }

    /** The types a person may subscribe to (all of them). */
    public static List<EventType> subscribable() {
        return List.of(values());
    }

    public static EventType of(String raw) {
        if (raw != null) {
            String value = raw.strip();
            for (EventType eventType : values()) {
                if (eventType.type.equals(value)) {
                    return eventType;
                }
            }
        }
        return null;
    }

    /** Parses the subscribed types: at least one, each known; duplicates collapse; the catalog's order. */
    public static List<EventType> parseAll(Collection<String> raw) {
        if (raw == null || raw.stream().allMatch(value -> value == null || value.isBlank())) {
            throw new KeysmithException.InvalidInput("events", "Choose at least one event type to subscribe to.");
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        List<String> unknown = new ArrayList<>();
        for (String value : raw) {
            if (value == null || value.isBlank()) {
                continue;
            }
            EventType type = of(value);
            if (type == null) {
                unknown.add(value.length() > 40 ? value.substring(0, 40) + "…" : value);
            } else {
                types.add(type);
            }
        }
        if (!unknown.isEmpty()) {
            throw new KeysmithException.InvalidInput("events", "Unknown event type " + String.join(", ", unknown)
                    + ": see the catalog at /docs/webhooks.");
        }
        return List.copyOf(types);
    }
}
