package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every plaintext API key and webhook signing secret the test suite was given, collected from API responses (see
 * {@link Api}) and from tests that create keys through the facade, so that {@link SuiteDumpScanIntegrationTests}
 * can search every store and the suite's log output for each of them at the end.
 */
final class SecretRegistry {

    static final Pattern KEY = Pattern.compile("ks_(live|test|dev)_[0-9A-Za-z]{38}");
    static final Pattern WEBHOOK_SECRET = Pattern.compile("whsec_[A-Za-z0-9+/=]{24,}");

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private SecretRegistry() {
    }

    static String add(String secret) {
        if (secret != null && (KEY.matcher(secret).matches() || WEBHOOK_SECRET.matcher(secret).matches())) {
            SECRETS.add(secret);
        }
        return secret;
    }

    /** Registers every string value in a response that is shaped like a key or a webhook secret. */
    static void collect(JsonNode json) {
        if (json == null) {
            return;
        }
        if (json.isTextual()) {
            add(json.asText());
        }
        json.forEach(SecretRegistry::collect);
    }

    static Set<String> all() {
        return Set.copyOf(SECRETS);
    }
}
