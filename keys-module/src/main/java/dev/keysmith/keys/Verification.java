package dev.keysmith.keys;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verifies an API request's credentials, cheapest and least revealing check first: header syntax, then key format
 * and CRC32 checksum (no lookup for a malformed key), then the hash lookup in memory, then revoked / rotated /
 * expired, then the Client ID, then the IP allowlist, then the plan. No I/O; nothing here is ever logged.
 */
public final class Verification {

    /** Every outcome, with its HTTP status. */
    public enum Code {
        OK(200),
        MISSING_AUTHORIZATION(401),
        BEARER_MISSING(401),
        BEARER_REPEATED(401),
        BEARER_MISSING_SPACE(401),
        MALFORMED_KEY(401),
        UNKNOWN_KEY(401),
        KEY_REVOKED(401),
        KEY_ROTATED(401),
        KEY_EXPIRED(401),
        CLIENT_ID_MISMATCH(401),
        IP_NOT_ALLOWED(403),
        PLAN_UPGRADE_REQUIRED(403),
        /** The index is still loading after a start: a miss cannot be told apart from an unknown key yet. */
        SERVICE_UNAVAILABLE(503);

        private final int status;
        private final String code;

        Code(int status) {
            this.status = status;
            this.code = name().toLowerCase(java.util.Locale.ROOT);
        }

        public int status() {
            return status;
        }

        /** The stable machine-readable code, e.g. {@code key_revoked}. */
        public String code() {
            return code;
        }
    }

    /**
     * The verdict: OK with the key and its tenant, or a refusal with a one-line detail and helpful facts. A refusal
     * of a key that exists (revoked, rotated, expired, wrong Client ID, IP, plan) still names the key, for the
     * request log and usage of that key's tenant; it is never shown to the caller.
     */
    public record Result(Code code, String detail, VerifiedKey key, KeyIndex.TenantEntry tenant,
                         Map<String, Object> facts) {
        public boolean ok() {
            return code == Code.OK;
        }

        static Result refuse(Code code, String detail) {
            return new Result(code, detail, null, null, Map.of());
        }
    }

    private final KeyIndex index;
    private final java.util.function.BooleanSupplier indexLoaded;

    /** @param indexLoaded whether the index has caught up with the event store since this node started */
    public Verification(KeyIndex index, java.util.function.BooleanSupplier indexLoaded) {
        this.index = index;
        this.indexLoaded = indexLoaded;
    }

    /** A verification over an index that is complete (tests, benchmarks). */
    public Verification(KeyIndex index) {
        this(index, () -> true);
    }

    /** Verifies an {@code Authorization} header (and the optional {@code X-Access-Client-Id}) from an address. */
    public Result verifyHeader(String authorization, String clientId, InetAddress caller, Instant now) {
        if (authorization == null || authorization.isBlank()) {
            return Result.refuse(Code.MISSING_AUTHORIZATION,
                    "Send your API key in the Authorization header: Authorization: Bearer ks_live_...");
        }
        String header = authorization.strip();
        if (!header.regionMatches(true, 0, "Bearer", 0, 6)) {
            return Result.refuse(Code.BEARER_MISSING,
                    "The Authorization header must be the word Bearer, a space, then the key: Bearer ks_live_...");
        }
        String rest = header.substring(6);
        if (rest.isEmpty() || !Character.isWhitespace(rest.charAt(0))) {
            return Result.refuse(Code.BEARER_MISSING_SPACE,
                    "Put one space between the word Bearer and the key: Bearer ks_live_...");
        }
        String key = rest.strip();
        if (key.regionMatches(true, 0, "Bearer", 0, 6)) {
            return Result.refuse(Code.BEARER_REPEATED,
                    "The word Bearer appears twice: send Authorization: Bearer ks_live_... with Bearer once.");
        }
        return verifyKey(key, clientId, caller, true, now);
    }

    /** Whether the index has caught up with the event store since this node started: until then no key is answered. */
    public boolean ready() {
        return indexLoaded.getAsBoolean();
    }

    /**
     * Verifies a bare key. With {@code checkIp} false the allowlist is not checked (a tenant's service verifying a
     * key it received, without knowing where its caller came from).
     */
    public Result verifyKey(String key, String clientId, InetAddress caller, boolean checkIp, Instant now) {
        if (KeySecrets.wellFormed(key) == null) {
            return Result.refuse(Code.MALFORMED_KEY, "This is not a Keysmith API key: expected ks_live_, ks_dev_ or "
                    + "ks_test_ and 38 letters and digits with a valid checksum. Check for a copy-and-paste mistake.");
        }
        // Until the index has caught up with the event store, a key it holds may have been revoked, rotated or
        // narrowed later in the stream than the index has read: no key is answered until then, found or not.
        if (!indexLoaded.getAsBoolean()) {
            return refuse(null, Code.SERVICE_UNAVAILABLE, "Keysmith is starting and still loading its keys: retry in a second.",
                    "retryAfterSeconds", 1);
        }
        VerifiedKey found = index.find(KeySecrets.sha256Bytes(key));
        if (found == null) {
            return Result.refuse(Code.UNKNOWN_KEY,
                    "No API key matches this value. Check that you copied the whole key, or create a new one.");
        }
        if (found.revokedAt() != null) {
            return refuse(found, Code.KEY_REVOKED, "This key was revoked on " + found.revokedAt()
                    + ". Create a new key for this integration.", "revokedAt", found.revokedAt());
        }
        if (found.replacedAt() != null && !now.isBefore(found.validUntil())) {
            return refuse(found, Code.KEY_ROTATED, "This key was replaced by a rotation on " + found.replacedAt()
                    + ". Use the new secret shown at rotation.", "rotatedAt", found.replacedAt());
        }
        if (found.expires() != null && !now.isBefore(found.expires())) {
            return refuse(found, Code.KEY_EXPIRED, "This key expired on " + found.expires()
                    + ". Create a new key for this integration.", "expiredAt", found.expires());
        }
        KeyIndex.TenantEntry tenant = index.tenant(found.tenantId());
        if (tenant == null) {
            return Result.refuse(Code.UNKNOWN_KEY,
                    "No API key matches this value. Check that you copied the whole key, or create a new one.");
        }
        if (clientId != null && !clientId.strip().equals(tenant.clientId())) {
            return refuse(found, Code.CLIENT_ID_MISMATCH, "X-Access-Client-Id does not belong to this key's workspace. "
                    + "Send the Client ID shown on your API keys page, or leave the header out.", null, null);
        }
        if (checkIp && !found.ips().allows(caller)) {
            String ip = caller == null ? "unknown" : IpAllowlist.text(caller);
            return refuse(found, Code.IP_NOT_ALLOWED, "This key may be used only from its IP allowlist, and this request "
                    + "came from " + ip + ". Add that address to the key's allowlist, or call from an allowed one.",
                    "clientIp", ip);
        }
        if (!tenant.plan().hasApiAccess()) {
            return refuse(found, Code.PLAN_UPGRADE_REQUIRED,
                    "Upgrade required: this workspace's Free plan has no API access. An owner can upgrade in Settings.",
                    null, null);
        }
        return new Result(Code.OK, null, found, tenant, Map.of());
    }

    private static Result refuse(VerifiedKey known, Code code, String detail, String fact, Object value) {
        Map<String, Object> facts = new LinkedHashMap<>();
        if (fact != null) {
            facts.put(fact, value);
        }
        return new Result(code, detail, known, null, facts);
    }
}
