package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.audit.AuditFilter;
import dev.keysmith.audit.AuditTrail;
import dev.keysmith.audit.TimeTravel;
import dev.keysmith.audit.TimeTravel.KeyChange;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeyView.Status;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Projections;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time travel over a scripted history: two keys created (one expiring seconds later), one rotated with a grace
 * period, renamed and revoked, the other expired by the sweeper; the table, one key, and the diff at each instant.
 * Then a webhook endpoint's life over HTTP (created, updated, disabled, secret rotated, deleted), read back at each
 * instant through the API, with another workspace's key (404) and bad instants (400).
 */
@KeysmithIntegrationTest
class TimeTravelIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    TimeTravel timeTravel;
    @Autowired
    AuditTrail trail;
    @Autowired
    Projections projections;

    /** An instant strictly after every event stored so far, and strictly before any event stored later. */
    static Instant instantBetween() {
        Instant now = Instant.now();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // only a guard against a clock that stands still
        while (!Instant.now().isAfter(now.plusMillis(2))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
        return now.plusMillis(1);
    }

    @Test
    void theKeysAsTheyWereAtEachInstant() {
        TenantId tenant = accounts.signUp("Time travel", TestData.email("travel"), TestData.PASSWORD, Plan.ENTERPRISE)
                .tenantId();
        Instant beforeAnything = instantBetween();
        ApiKeys.IssuedKey shortLived = keys.create(tenant, new ApiKeys.NewKey("Short-lived", "production",
                Instant.now().plusSeconds(2), List.of(), null));
        ApiKeys.IssuedKey billing = keys.create(tenant, new ApiKeys.NewKey("Billing", "production", null,
                List.of(), null));
        ApiKeyId a = shortLived.key().id();
        ApiKeyId b = billing.key().id();
        Instant created = instantBetween();
        ApiKeys.IssuedKey rotated = keys.rotate(tenant, b, Duration.ofHours(1));
        Instant afterRotation = instantBetween();
        keys.update(tenant, b, "Billing (old)", List.of("10.0.0.0/8"));
        keys.revoke(tenant, b, RevocationReason.LEAKED);
        Instant afterRevocation = instantBetween();
        projections.awaitCurrent();
        IntegrationAwait.until("the sweeper records the expiry", () -> trail.events(tenant,
                new AuditFilter(null, null, "ApiKeyExpired", null, a.value(), null), null, 10).items().size() == 1);
        Instant afterExpiry = instantBetween();

        assertThat(timeTravel.keysAt(tenant, beforeAnything)).isEmpty();

        List<ApiKeyView> atCreation = timeTravel.keysAt(tenant, created);
        assertThat(atCreation).extracting(ApiKeyView::id).containsExactly(a, b);
        assertThat(atCreation.get(0).status(created)).isEqualTo(Status.EXPIRING);
        assertThat(atCreation.get(1).status(created)).isEqualTo(Status.ACTIVE);
        assertThat(atCreation.get(1).prefix()).isEqualTo(billing.key().prefix());

        ApiKeyView rotating = timeTravel.keyAt(tenant, b, afterRotation).orElseThrow();
        assertThat(rotating.status(afterRotation)).isEqualTo(Status.ROTATING);
        assertThat(rotating.prefix()).isEqualTo(rotated.key().prefix());
        assertThat(rotating.last4()).isEqualTo(rotated.key().last4());
        assertThat(rotating.name()).isEqualTo("Billing");
        assertThat(timeTravel.keyAt(tenant, b, created).orElseThrow().last4()).isEqualTo(billing.key().last4());

        ApiKeyView revoked = timeTravel.keyAt(tenant, b, afterRevocation).orElseThrow();
        assertThat(revoked.status(afterRevocation)).isEqualTo(Status.REVOKED);
        assertThat(revoked.revocationReason()).isEqualTo(RevocationReason.LEAKED);
        assertThat(revoked.name()).isEqualTo("Billing (old)");
        assertThat(revoked.ips()).containsExactly("10.0.0.0/8");
        assertThat(timeTravel.keyAt(tenant, a, afterRevocation).orElseThrow().status(afterRevocation))
                .isNotEqualTo(Status.REVOKED);

        assertThat(timeTravel.keyAt(tenant, a, afterExpiry).orElseThrow().status(afterExpiry))
                .isEqualTo(Status.EXPIRED);
        assertThat(timeTravel.keyAt(tenant, a, beforeAnything)).isEmpty();

        // the access review: what changed in each period
        assertThat(timeTravel.diff(tenant, beforeAnything, afterExpiry)).extracting(c -> c.keyId() + " " + c.change())
                .containsExactlyInAnyOrder(a + " added", a + " expired", b + " added", b + " renamed",
                        b + " ips_changed", b + " rotated", b + " revoked");
        assertThat(timeTravel.diff(tenant, created, afterRotation)).extracting(KeyChange::change)
                .containsExactly("rotated");
        KeyChange renamed = timeTravel.diff(tenant, afterRotation, afterRevocation).stream()
                .filter(c -> c.change().equals("renamed")).findFirst().orElseThrow();
        assertThat(renamed.before()).isEqualTo("Billing");
        assertThat(renamed.after()).isEqualTo("Billing (old)");
        assertThat(timeTravel.diff(tenant, afterRevocation, afterExpiry)).extracting(KeyChange::change)
                .containsExactly("expired");

        // the same over the API, for a key of another tenant: not found
        String secret = keys.create(tenant, new ApiKeys.NewKey("Auditor tool", "production", null, List.of(), null))
                .secret();
        Api api = new Api(port);
        JsonNode table = api.get("/api/v1/audit/keys?at=" + afterRotation, secret).json();
        assertThat(table.get("items")).hasSize(2);
        assertThat(table.get("items").get(1).get("status").asText()).isEqualTo("rotating");
        assertThat(table.get("items").get(1).get("prefix").asText()).isEqualTo(rotated.key().prefix());
        assertThat(table.toString()).doesNotContain(rotated.secret()).doesNotContain(billing.secret());
        JsonNode one = api.get("/api/v1/audit/keys/" + b + "?at=" + afterRevocation, secret).json();
        assertThat(one.get("status").asText()).isEqualTo("revoked");
        assertThat(one.get("revocationReason").asText()).isEqualTo("leaked");
        assertThat(api.get("/api/v1/audit/keys/" + b + "?at=" + beforeAnything, secret).code())
                .isEqualTo("key_not_found");
        JsonNode diff = api.get("/api/v1/audit/diff?from=" + created + "&to=" + afterRotation, secret).json();
        assertThat(diff.get("changes")).hasSize(1);
        assertThat(diff.get("changes").get(0).get("change").asText()).isEqualTo("rotated");

        TenantId other = accounts.signUp("Other", TestData.email("other"), TestData.PASSWORD, Plan.PRO).tenantId();
        String otherSecret = keys.create(other, new ApiKeys.NewKey("Theirs", "production", null, List.of(), null))
                .secret();
        assertThat(api.get("/api/v1/audit/keys/" + b + "?at=" + afterRevocation, otherSecret).status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/audit/keys?at=" + afterRevocation, otherSecret).json().get("items")).isEmpty();
    }

    @Test
    void theWebhookEndpointsAsTheyWereAtEachInstantOverHttp() {
        TenantId tenant = accounts.signUp("Endpoint travel", TestData.email("travel-hooks"), TestData.PASSWORD,
                Plan.ENTERPRISE).tenantId();
        String key = keys.create(tenant, new ApiKeys.NewKey("Automation", "production", null, List.of(), null))
                .secret();
        Api api = new Api(port);
        Instant beforeAnything = instantBetween();
        Api.Response created = api.post("/api/v1/webhooks", key, Map.of("name", "Orders",
                "url", "https://93.184.216.34/hooks", "environment", "production", "events", List.of("key.created")));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        String firstSecret = created.json().get("secret").asText();
        Instant afterCreation = instantBetween();
        assertThat(api.patch("/api/v1/webhooks/" + id, key, Map.of("name", "Orders v2",
                "url", "https://93.184.216.34/v2", "events", List.of("key.created", "key.revoked"))).status())
                .isEqualTo(200);
        Instant afterUpdate = instantBetween();
        assertThat(api.patch("/api/v1/webhooks/" + id, key, Map.of("enabled", false)).status()).isEqualTo(200);
        Instant afterDisabling = instantBetween();
        Api.Response rotated = api.post("/api/v1/webhooks/" + id + "/rotate-secret", key,
                Map.of("overlapSeconds", 3600));
        assertThat(rotated.status()).as(rotated.raw().body()).isEqualTo(200);
        String secondSecret = rotated.json().get("secret").asText();
        Instant afterRotation = instantBetween();
        assertThat(api.delete("/api/v1/webhooks/" + id, key).status()).isEqualTo(200);
        Instant afterDeletion = instantBetween();
        projections.awaitCurrent();

        assertThat(api.get("/api/v1/audit/endpoints?at=" + beforeAnything, key).json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/audit/endpoints/" + id + "?at=" + beforeAnything, key).code())
                .isEqualTo("webhook_not_found");

        Api.Response list = api.get("/api/v1/audit/endpoints?at=" + afterCreation, key);
        assertThat(list.status()).isEqualTo(200);
        JsonNode first = list.json().get("items").get(0);
        assertThat(list.json().get("items")).hasSize(1);
        assertThat(first.get("id").asText()).isEqualTo(id);
        assertThat(first.get("name").asText()).isEqualTo("Orders");
        assertThat(first.get("url").asText()).isEqualTo("https://93.184.216.34/hooks");
        assertThat(first.get("events")).extracting(JsonNode::asText).containsExactly("key.created");
        assertThat(first.get("status").asText()).isEqualTo("enabled");
        assertThat(first.get("secretVersion").asInt()).isEqualTo(1);
        assertThat(first.get("secretFingerprint").asText())
                .isEqualTo(created.json().get("secretFingerprint").asText());

        JsonNode updated = api.get("/api/v1/audit/endpoints/" + id + "?at=" + afterUpdate, key).json();
        assertThat(updated.get("name").asText()).isEqualTo("Orders v2");
        assertThat(updated.get("url").asText()).isEqualTo("https://93.184.216.34/v2");
        assertThat(updated.get("events")).extracting(JsonNode::asText).containsExactly("key.created", "key.revoked");
        assertThat(updated.get("enabled").asBoolean()).isTrue();

        JsonNode disabled = api.get("/api/v1/audit/endpoints/" + id + "?at=" + afterDisabling, key).json();
        assertThat(disabled.get("status").asText()).isEqualTo("disabled");
        assertThat(disabled.get("disabledReason").asText()).isEqualTo("manual");
        assertThat(disabled.get("secretVersion").asInt()).isEqualTo(1);

        Api.Response afterRotating = api.get("/api/v1/audit/endpoints/" + id + "?at=" + afterRotation, key);
        assertThat(afterRotating.json().get("secretVersion").asInt()).isEqualTo(2);
        assertThat(afterRotating.json().get("secretFingerprint").asText())
                .isEqualTo(rotated.json().get("secretFingerprint").asText());
        assertThat(afterRotating.json().get("secretRotatedAt").isNull()).isFalse();
        assertThat(afterRotating.json().get("status").asText()).isEqualTo("disabled");

        Api.Response gone = api.get("/api/v1/audit/endpoints?at=" + afterDeletion, key);
        assertThat(gone.json().get("items").get(0).get("status").asText()).isEqualTo("deleted");
        assertThat(gone.json().get("items").get(0).get("deleted").asBoolean()).isTrue();
        for (Api.Response response : List.of(list, afterRotating, gone)) {
            assertThat(response.raw().body()).doesNotContain(firstSecret).doesNotContain(secondSecret)
                    .doesNotContain(firstSecret.substring("whsec_".length()))
                    .doesNotContain(secondSecret.substring("whsec_".length()));
        }

        // the access review: the endpoint's changes beside the keys'
        JsonNode diff = api.get("/api/v1/audit/diff?from=" + beforeAnything + "&to=" + afterDeletion, key).json();
        assertThat(diff.get("changes")).isEmpty();
        assertThat(diff.get("endpointChanges")).extracting(change -> change.get("change").asText())
                .containsExactly("added", "updated", "secret_rotated", "disabled", "deleted");
        JsonNode window = api.get("/api/v1/audit/diff?from=" + afterUpdate + "&to=" + afterRotation, key).json();
        assertThat(window.get("endpointChanges")).extracting(change -> change.get("change").asText())
                .containsExactly("secret_rotated", "disabled");

        // another workspace: not found, and an empty list
        TenantId other = accounts.signUp("Other hooks", TestData.email("other-hooks"), TestData.PASSWORD,
                Plan.PRO).tenantId();
        String otherKey = keys.create(other, new ApiKeys.NewKey("Theirs", "production", null, List.of(), null))
                .secret();
        Api.Response foreign = api.get("/api/v1/audit/endpoints/" + id + "?at=" + afterUpdate, otherKey);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("webhook_not_found");
        assertThat(foreign.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.get("/api/v1/audit/endpoints?at=" + afterUpdate, otherKey).json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/audit/endpoints/whep_nope?at=" + afterUpdate, key).status()).isEqualTo(404);

        // bad instants: 400 problem+json naming the field
        for (String path : List.of("/api/v1/audit/endpoints?at=yesterday", "/api/v1/audit/endpoints",
                "/api/v1/audit/endpoints/" + id + "?at=2030-13-45")) {
            Api.Response bad = api.get(path, key);
            assertThat(bad.status()).as(path).isEqualTo(400);
            assertThat(bad.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(bad.raw().body()).as(path).contains("\"at\"");
        }
    }
}
