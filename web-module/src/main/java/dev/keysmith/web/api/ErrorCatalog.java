package dev.keysmith.web.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every error code the API answers with: its status, a title, what it means and how to fix it (/docs/errors). */
public final class ErrorCatalog {

    public record Entry(String code, int status, String title, String meaning, String fix) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("missing_authorization", 401, "Missing API key",
                "The request has no Authorization header (or an empty one).",
                "Send Authorization: Bearer <your key>. Keys are created on the API keys page.");
        add("bearer_missing", 401, "Missing Bearer scheme",
                "The Authorization header does not start with the word Bearer (e.g. the key alone, or Basic ...).",
                "Write the header as Authorization: Bearer ks_live_...");
        add("bearer_repeated", 401, "Bearer written twice",
                "The header reads Bearer Bearer ks_..., usually because a client library adds Bearer itself.",
                "Give the library the key alone, or write Bearer once.");
        add("bearer_missing_space", 401, "No space after Bearer",
                "The header reads Bearerks_... with no space between the scheme and the key.",
                "Put one space after Bearer: Bearer ks_live_...");
        add("malformed_key", 401, "Malformed API key",
                "The value is not a Keysmith key: wrong prefix, wrong length, a character outside A-Z a-z 0-9, or a "
                        + "checksum that does not match (a typo or a truncated copy). No lookup was made.",
                "Copy the whole key again; Keysmith keys look like ks_live_ followed by 38 letters and digits.");
        add("unknown_key", 401, "Unknown API key",
                "The key is well formed but no key with this value exists.",
                "Check that you use the key of the right workspace and environment, or create a new key.");
        add("key_revoked", 401, "Revoked API key", "The key was revoked and can never be used again.",
                "Create a new key and update the integration.");
        add("key_rotated", 401, "Rotated API key",
                "The key's secret was replaced by a rotation and its grace period (if any) is over.",
                "Use the new secret shown when the key was rotated; rotate again if it was lost.");
        add("key_expired", 401, "Expired API key", "The key passed its expiry date.",
                "Create a new key (with a later expiry, or none).");
        add("client_id_mismatch", 401, "Client ID does not match",
                "X-Access-Client-Id names a different workspace than the key belongs to.",
                "Send the Client ID shown at the top of your API keys page, or leave the header out.");
        add("ip_not_allowed", 403, "IP address not allowed",
                "The key has an IP allowlist and the request came from an address outside it (clientIp says which).",
                "Add the address or its range to the key's allowlist, or call from an allowed address.");
        add("plan_upgrade_required", 403, "Upgrade required",
                "The workspace is on the Free plan, which has no API access.",
                "An owner can switch to Pro or Enterprise in Settings.");
        add("permission_denied", 403, "Not allowed for this key",
                "The key is valid but may not call this route (temporary keys cannot manage keys).",
                "Use a regular key of the workspace.");
        add("environment_not_allowed", 403, "Other environment",
                "Development and Sandbox keys may manage only keys of their own environment.",
                "Use a Production key, or a key of the environment concerned.");
        add("key_limit_reached", 409, "Key limit reached",
                "The plan's limit of active keys (per workspace or per environment; limit says which number) is reached.",
                "Revoke a key you no longer use, or upgrade the plan.");
        add("key_already_revoked", 409, "Key already revoked", "The key is already revoked.", "Nothing to do.");
        add("key_inactive", 409, "Key no longer changeable",
                "The key is revoked or expired; its name, allowlist and secret can no longer change.",
                "Create a new key instead.");
        add("key_active", 409, "Key still active", "Only revoked or expired keys can be removed from the list.",
                "Revoke the key first.");
        add("rate_limited", 429, "Too many requests",
                "Key management (creates and rotations) is limited per workspace; retryAfterSeconds says when to retry.",
                "Wait as Retry-After says, then try again.");
        add("invalid_request", 400, "Invalid request",
                "One or more fields are invalid; errors lists each field with what is wrong.",
                "Fix the fields named in errors.");
        add("malformed_json", 400, "Malformed JSON", "The request body is not valid JSON of the expected shape.",
                "Send a JSON object with the documented fields (Content-Type: application/json).");
        add("payload_too_large", 413, "Request body too large", "The request body exceeds the API's limit.",
                "Send a smaller body.");
        add("key_not_found", 404, "No such key", "No key with this id exists in your workspace.",
                "List your keys with GET /api/v1/keys to find the id.");
        add("team_not_found", 404, "No such team", "No workspace has this team number.", "Check selectedTeamId.");
        add("not_found", 404, "Not found", "There is no such API route.", "See the API reference at /swagger-ui.html.");
        add("method_not_allowed", 405, "Method not allowed", "The route exists but not with this HTTP method.",
                "See the API reference at /swagger-ui.html.");
        add("unsupported_media_type", 415, "Unsupported media type", "The API accepts JSON bodies only.",
                "Send Content-Type: application/json.");
        add("concurrent_modification", 409, "Changed at the same moment",
                "Another change to the same item was stored at the same moment; this one was not applied.",
                "Read the item again and retry.");
        add("invalid_service_token", 401, "Wrong service token",
                "The CERTS-TOKEN header is missing or does not match the server's configured service token.",
                "Send the service token configured as KEYSMITH_CERTS_TOKEN.");
        add("webhook_not_found", 404, "No such webhook endpoint",
                "No webhook endpoint with this id exists in your workspace.",
                "List your endpoints with GET /api/v1/webhooks to find the id.");
        add("delivery_not_found", 404, "No such delivery", "No delivery with this id exists for this endpoint.",
                "List the endpoint's deliveries with GET /api/v1/webhooks/{id}/deliveries.");
        add("endpoint_disabled", 409, "Endpoint disabled",
                "The webhook endpoint is disabled (by a member, after a 410 Gone, or after failing for days), so "
                        + "nothing can be sent to it.",
                "Enable it (PATCH {\"enabled\": true}), then send again.");
        add("webhook_limit_reached", 409, "Webhook endpoint limit reached",
                "The workspace has the maximum number of webhook endpoints (limit says how many).",
                "Delete an endpoint you no longer use.");
        add("log_not_found", 404, "No such request", "No request with this id is in your workspace's log; it may "
                + "have passed the plan's log retention.", "Search the log with GET /api/v1/logs to find the id.");
        add("service_unavailable", 503, "Temporarily unavailable",
                "A store the request needs did not answer; nothing was changed.", "Retry after a few seconds.");
        add("processor_not_found", 404, "No such projection", "No projection (tracking processor) has this name.",
                "See the replay page (Audit > Replay) for the projections that can be rebuilt.");
        add("replay_not_allowed", 403, "Projection never replayed",
                "This processor is excluded from replays: it has side effects (webhook deliveries) or rebuilds itself "
                        + "at every start (the key index).", "Nothing to do; rebuild another projection.");
        add("replay_in_progress", 409, "Replay in progress", "The projection is already being rebuilt.",
                "Wait until the replay page shows it caught up.");
    }

    private ErrorCatalog() {
    }

    private static void add(String code, int status, String title, String meaning, String fix) {
        ENTRIES.put(code, new Entry(code, status, title, meaning, fix));
    }

    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    public static Entry get(String code) {
        return ENTRIES.get(code);
    }

    static String title(String code, String fallback) {
        Entry entry = ENTRIES.get(code);
        if (entry != null) {
            return entry.title();
        }
        return code.startsWith("invalid_") ? "Invalid " + code.substring(8).replace('_', ' ') : fallback;
    }
}
