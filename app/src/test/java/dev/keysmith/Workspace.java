package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;

import java.util.List;
import java.util.Map;

/**
 * A tenant with one of everything a tenant owns, made through the real API: an owner, an Admin member, an admin
 * key, a named key (with its secret), a webhook endpoint (pointing at a {@link Receiver}) with one delivery, and request-log records.
 * Every name carries {@link #marker}, a string unique to this workspace, so a test can tell whether a response
 * shows any of this workspace's data.
 */
record Workspace(TenantId tenantId, String marker, String ownerEmail, String adminKey, String keyId, String keySecret,
                 String keyName,
                 String endpointId, String endpointName, String deliveryId, String memberId, String memberEmail,
                 String logId) {

    static Workspace create(String label, Accounts accounts, ApiKeys keys, Api api, Receiver receiver) {
        String marker = label + "-" + Long.toString(System.nanoTime(), 36);
        String ownerEmail = TestData.email(label + "-owner");
        Accounts.SignUp signUp = accounts.signUp("Workspace " + marker, ownerEmail, TestData.PASSWORD, Plan.ENTERPRISE);
        TenantId tenant = signUp.tenantId();
        String adminKey = keys.create(tenant, new ApiKeys.NewKey("Admin " + marker, "production", null, List.of(), null))
                .secret();
        SecretRegistry.add(adminKey);
        String memberEmail = TestData.email(label + "-member");
        String memberId = accounts.addMember(tenant, memberEmail, Role.ADMIN, "initial password 1").value();

        String keyName = "Key " + marker;
        Api.Response key = api.post("/api/v1/keys", adminKey, Map.of("name", keyName, "environment", "development"));
        check(key, 201);
        String keyId = key.json().get("id").asText();

        String endpointName = "Hook " + marker;
        Api.Response endpoint = api.post("/api/v1/webhooks", adminKey, Map.of("name", endpointName,
                "url", receiver.url("/" + marker), "events", List.of("key.created", "key.revoked")));
        check(endpoint, 201);
        String endpointId = endpoint.json().get("id").asText();
        Api.Response test = api.post("/api/v1/webhooks/" + endpointId + "/test", adminKey, null);
        check(test, 202);
        String deliveryId = test.json().get("id").asText();

        String keySecret = key.json().get("secret").asText();
        check(api.get("/api/v1/whoami", keySecret), 200);
        String[] logId = new String[1];
        IntegrationAwait.until("request log of " + marker, () -> {
            JsonNode items = api.get("/api/v1/logs?keyId=" + keyId, adminKey).json().path("items");
            if (items.isEmpty()) {
                return false;
            }
            logId[0] = items.get(0).get("id").asText();
            return true;
        });
        return new Workspace(tenant, marker, ownerEmail, adminKey, keyId, keySecret, keyName, endpointId, endpointName,
                deliveryId, memberId, memberEmail, logId[0]);
    }

    private static void check(Api.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ": " + response.raw().uri() + " -> "
                    + response.status() + " " + response.raw().body());
        }
    }
}
