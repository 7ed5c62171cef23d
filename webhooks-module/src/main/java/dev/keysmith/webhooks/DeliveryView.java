package dev.keysmith.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One message to one endpoint and its attempts. {@code messageId} is the {@code webhook-id} every attempt (and
 * every manual resend) carries, derived from the source event's id, so subscribers can deduplicate.
 */
public record DeliveryView(String id, String messageId, WebhookEndpointId endpointId, EventType eventType,
                           Instant created, Status status, int attemptCount, Instant nextAttemptAt,
                           Integer lastStatusCode, String lastError, String body, List<Attempt> attempts) {

    public enum Status {
        PENDING, SUCCEEDED, FAILED, CANCELLED;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status parse(String raw) {
            for (Status status : values()) {
                if (status.json().equalsIgnoreCase(raw == null ? "" : raw.strip())) {
                    return status;
                }
            }
            throw new dev.keysmith.keys.KeysmithException.InvalidInput("status",
                    "status must be pending, succeeded, failed or cancelled.");
        }
    }

    /**
     * One attempt: when, by which node, the HTTP status (null when no response), latency, the first KiB of the
     * response, the error, and the exact headers sent (the signature headers a subscriber verifies).
     */
    public record Attempt(int number, Instant at, Integer statusCode, long latencyMillis, String responseExcerpt,
                          String error, Map<String, String> headers, boolean manual) {

        public boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }
}
