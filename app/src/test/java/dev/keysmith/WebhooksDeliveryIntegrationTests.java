package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.Signatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhook deliveries end to end: key changes made through the API reach a real local receiver, signed so that the
 * Standard Webhooks Java library verifies every one; the receiver's failures (500, a timeout, 429 with
 * Retry-After, 410) are retried or end as specified, with the schedule compressed by configuration.
 */
@KeysmithIntegrationTest
class WebhooksDeliveryIntegrationTests {

    static final List<String> KEY_EVENTS = List.of("key.created", "key.updated", "key.rotated", "key.revoked",
            "key.expired", "key.usage_spike");
    static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;

    Api api;
    TenantId tenant;
    String adminKey;
    Receiver receiver;

    @BeforeEach
    void tenantWithAKeyAndAReceiver() {
        api = new Api(port);
        tenant = accounts.signUp("Hooks", TestData.email("hooks"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        adminKey = keys.create(tenant, new ApiKeys.NewKey("Admin automation", "production", null, List.of(), null))
                .secret();
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    JsonNode endpoint(String path, List<String> events) {
        Api.Response created = api.post("/api/v1/webhooks", adminKey, Map.of("name", "Receiver " + path,
                "url", receiver.url(path), "environment", "production", "events", events));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json();
    }

    JsonNode deliveries(String endpointId) {
        return api.get("/api/v1/webhooks/" + endpointId + "/deliveries", adminKey).json().get("items");
    }

    JsonNode delivery(String endpointId, String deliveryId) {
        return api.get("/api/v1/webhooks/" + endpointId + "/deliveries/" + deliveryId, adminKey).json();
    }

    static HttpHeaders headers(Receiver.Request request) {
        return HttpHeaders.of(Map.of("webhook-id", List.of(request.header("webhook-id")),
                "webhook-timestamp", List.of(request.header("webhook-timestamp")),
                "webhook-signature", List.of(request.header("webhook-signature"))), (a, b) -> true);
    }

    @Test
    void everyKeyChangeArrivesSignedAndTheStandardWebhooksLibraryVerifiesIt() throws Exception {
        JsonNode endpoint = endpoint("/ok", KEY_EVENTS);
        String secret = endpoint.get("secret").asText();
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");

        Api.Response created = api.post("/api/v1/keys", adminKey, Map.of("name", "Billing", "environment", "production"));
        String keyId = created.json().get("id").asText();
        String keySecret = created.json().get("secret").asText();
        api.patch("/api/v1/keys/" + keyId, adminKey, Map.of("name", "Billing v2"));
        String rotatedSecret = api.post("/api/v1/keys/" + keyId + "/rotate", adminKey, Map.of()).json().get("secret").asText();
        api.delete("/api/v1/keys/" + keyId + "?reason=leaked", adminKey);

        // deliveries are sent by several workers (any order), and a busy key may add a key.usage_spike
        Receiver.await("4 messages", WAIT, () -> keyChanges(receiver).size() >= 4);
        List<Receiver.Request> received = keyChanges(receiver);
        assertThat(received).extracting(r -> Api.JSON.readTree(r.body()).get("type").asText())
                .containsExactlyInAnyOrder("key.created", "key.updated", "key.rotated", "key.revoked");
        Webhook webhook = new Webhook(secret);
        for (Receiver.Request request : received) {
            webhook.verify(request.body(), headers(request));
            JsonNode payload = Api.JSON.readTree(request.body());
            assertThat(payload.get("id").asText()).isEqualTo(request.header("webhook-id")).matches("msg_[A-Za-z0-9_-]{22}");
            assertThat(payload.get("tenantId").asText()).isEqualTo(tenant.value());
            assertThat(payload.get("environment").asText()).isEqualTo("production");
            assertThat(payload.get("data").get("id").asText()).isEqualTo(keyId);
            assertThat(request.header("x-webhook-sign")).isEqualTo(Signatures.seedSignature(secret, request.body()));
            assertThat(request.body()).doesNotContain(keySecret).doesNotContain(rotatedSecret)
                    .doesNotContain("hash").doesNotContain("whsec_");
        }
        assertThat(received.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(4);
        JsonNode rotated = ofType(received, "key.rotated").get("data");
        assertThat(rotated.get("last4").asText()).isEqualTo(rotatedSecret.substring(rotatedSecret.length() - 4));
        assertThat(ofType(received, "key.revoked").get("data").get("reason").asText()).isEqualTo("leaked");

        Receiver.Request first = received.get(0);
        assertThatThrownBy(() -> webhook.verify(first.body().replace("Billing", "Billinh"), headers(first)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]))
                .verify(first.body(), headers(first))).isInstanceOf(WebhookVerificationException.class);
        long stale = Instant.now().minusSeconds(360).getEpochSecond();
        HttpHeaders staleHeaders = HttpHeaders.of(Map.of("webhook-id", List.of(first.header("webhook-id")),
                "webhook-timestamp", List.of(Long.toString(stale)), "webhook-signature",
                List.of(Signatures.sign(List.of(secret), first.header("webhook-id"), stale, first.body()))), (a, b) -> true);
        assertThatThrownBy(() -> webhook.verify(first.body(), staleHeaders)).isInstanceOf(WebhookVerificationException.class);

        List<JsonNode> log = new java.util.ArrayList<>();
        deliveries(endpoint.get("id").asText()).forEach(d -> {
            if (!d.get("eventType").asText().equals("key.usage_spike")) {
                log.add(d);
            }
        });
        assertThat(log).hasSize(4).allMatch(d -> d.get("status").asText().equals("succeeded"));
        JsonNode detail = delivery(endpoint.get("id").asText(), log.get(0).get("id").asText());
        JsonNode attempt = detail.get("attempts").get(0);
        assertThat(attempt.get("statusCode").asInt()).isEqualTo(200);
        assertThat(attempt.get("responseExcerpt").asText()).isEqualTo("answer 200");
        assertThat(attempt.get("headers").get("webhook-id").asText()).isEqualTo(detail.get("messageId").asText());
        assertThat(attempt.get("headers").get("webhook-signature").asText()).startsWith("v1,");
    }

    @Test
    void aServerErrorIsRetriedWithTheSameWebhookIdAndExhaustingTheScheduleFails() {
        receiver.script("/flaky", Receiver.Response.status(500));
        receiver.always("/down", Receiver.Response.status(503));
        JsonNode flaky = endpoint("/flaky", List.of("key.created"));
        JsonNode down = endpoint("/down", List.of("key.created"));
        api.post("/api/v1/keys", adminKey, Map.of("name", "Retried", "environment", "production"));

        Receiver.await("the retry to succeed", WAIT, () -> deliveries(flaky.get("id").asText()).get(0)
                .get("status").asText().equals("succeeded"));
        List<Receiver.Request> attempts = receiver.requests("/flaky");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).header("webhook-id")).isEqualTo(attempts.get(0).header("webhook-id"));
        assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
        assertThat(deliveries(flaky.get("id").asText()).get(0).get("attemptCount").asInt()).isEqualTo(2);

        String downId = down.get("id").asText();
        Receiver.await("the schedule to be exhausted", WAIT, () -> deliveries(downId).get(0)
                .get("status").asText().equals("failed"));
        assertThat(receiver.requests("/down")).hasSize(4);
        JsonNode failed = deliveries(downId).get(0);
        assertThat(failed.get("lastStatusCode").asInt()).isEqualTo(503);
        assertThat(failed.get("nextAttemptAt").isNull()).isTrue();

        receiver.clear("/down");
        Api.Response redelivered = api.post("/api/v1/webhooks/" + downId + "/redeliver-failed", adminKey,
                Map.of("from", Instant.now().minusSeconds(3600).toString(), "to", Instant.now().plusSeconds(60).toString()));
        assertThat(redelivered.json().get("redelivered").asInt()).isEqualTo(1);
        Receiver.await("the redelivery to succeed", WAIT, () -> deliveries(downId).get(0)
                .get("status").asText().equals("succeeded"));
        assertThat(receiver.requests("/down")).hasSize(5)
                .extracting(r -> r.header("webhook-id")).containsOnly(failed.get("messageId").asText());
        JsonNode detail = delivery(downId, failed.get("id").asText());
        assertThat(detail.get("attempts")).hasSize(5);
        assertThat(detail.get("attempts").get(4).get("manual").asBoolean()).isTrue();
    }

    @Test
    void aTimeoutAndA429WaitAtLeastTheThrottledMinimumAndRetryAfterIsHonoured() {
        receiver.script("/slow", new Receiver.Response(200, null, Duration.ofSeconds(3)));
        receiver.script("/busy", new Receiver.Response(429, "2", Duration.ZERO));
        JsonNode slow = endpoint("/slow", List.of("key.created"));
        JsonNode busy = endpoint("/busy", List.of("key.created"));
        api.post("/api/v1/keys", adminKey, Map.of("name", "Throttled", "environment", "production"));

        for (JsonNode endpoint : List.of(slow, busy)) {
            String id = endpoint.get("id").asText();
            Receiver.await("a success after the first failure", WAIT, () -> deliveries(id).get(0)
                    .get("status").asText().equals("succeeded"));
        }
        JsonNode slowAttempts = delivery(slow.get("id").asText(), deliveries(slow.get("id").asText()).get(0).get("id").asText())
                .get("attempts");
        assertThat(slowAttempts).hasSize(2);
        assertThat(slowAttempts.get(0).get("error").asText()).contains("Timed out");
        assertThat(slowAttempts.get(0).get("statusCode").isNull()).isTrue();
        assertThat(gap(slowAttempts)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));

        JsonNode busyAttempts = delivery(busy.get("id").asText(), deliveries(busy.get("id").asText()).get(0).get("id").asText())
                .get("attempts");
        assertThat(busyAttempts.get(0).get("statusCode").asInt()).isEqualTo(429);
        assertThat(busyAttempts.get(1).get("statusCode").asInt()).isEqualTo(200);
        // scheduled 300 ms ±20 % is raised to the 1 s minimum; Retry-After 2 s lies within [1 s, 2 s]: honoured
        assertThat(gap(busyAttempts)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    static Duration gap(JsonNode attempts) {
        return Duration.between(Instant.parse(attempts.get(0).get("at").asText()),
                Instant.parse(attempts.get(1).get("at").asText()));
    }

    @Test
    void a410DisablesTheEndpointAndTellsTheOtherEndpoints() throws Exception {
        receiver.always("/gone", Receiver.Response.status(410));
        JsonNode gone = endpoint("/gone", List.of("key.created"));
        JsonNode ops = endpoint("/ops", List.of("endpoint.disabled"));
        api.post("/api/v1/keys", adminKey, Map.of("name", "Gone", "environment", "production"));

        String goneId = gone.get("id").asText();
        Receiver.await("the endpoint to be disabled", WAIT, () -> !api.get("/api/v1/webhooks/" + goneId, adminKey)
                .json().get("enabled").asBoolean());
        JsonNode disabled = api.get("/api/v1/webhooks/" + goneId, adminKey).json();
        assertThat(disabled.get("disabledReason").asText()).isEqualTo("gone");
        assertThat(receiver.requests("/gone")).hasSize(1);
        assertThat(deliveries(goneId).get(0).get("status").asText()).isEqualTo("failed");

        Receiver.await("endpoint.disabled at the other endpoint", WAIT, () -> receiver.requests("/ops").size() == 1);
        Receiver.Request notice = receiver.requests("/ops").get(0);
        new Webhook(ops.get("secret").asText()).verify(notice.body(), headers(notice));
        JsonNode payload = Api.JSON.readTree(notice.body());
        assertThat(payload.get("type").asText()).isEqualTo("endpoint.disabled");
        assertThat(payload.get("data").get("endpointId").asText()).isEqualTo(goneId);
        assertThat(payload.get("data").get("reason").asText()).isEqualTo("gone");

        assertThat(api.post("/api/v1/webhooks/" + goneId + "/test", adminKey, null).code()).isEqualTo("endpoint_disabled");
    }

    @Test
    void duringARotationOverlapBothSecretsVerify() throws Exception {
        JsonNode endpoint = endpoint("/rotating", List.of("key.created"));
        String id = endpoint.get("id").asText();
        String oldSecret = endpoint.get("secret").asText();
        Api.Response rotated = api.post("/api/v1/webhooks/" + id + "/rotate-secret", adminKey, Map.of("overlapSeconds", 3600));
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
        String newSecret = rotated.json().get("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        assertThat(rotated.json().get("secretVersion").asInt()).isEqualTo(2);

        Api.Response test = api.post("/api/v1/webhooks/" + id + "/test", adminKey, null);
        assertThat(test.status()).isEqualTo(202);
        Receiver.await("the test message", WAIT, () -> receiver.requests("/rotating").size() == 1);
        Receiver.Request request = receiver.requests("/rotating").get(0);
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        new Webhook(newSecret).verify(request.body(), headers(request));
        new Webhook(oldSecret).verify(request.body(), headers(request));
        assertThat(request.header("webhook-id")).isEqualTo(test.json().get("messageId").asText());
        assertThat(Api.JSON.readTree(request.body()).get("type").asText()).isEqualTo("webhook.test");

        Api.Response again = api.post("/api/v1/webhooks/" + id + "/rotate-secret", adminKey, Map.of("overlapSeconds", 0));
        String newest = again.json().get("secret").asText();
        Api.Response test2 = api.post("/api/v1/webhooks/" + id + "/test", adminKey, null);
        Receiver.await("the second test message", WAIT, () -> receiver.requests("/rotating").size() == 2);
        Receiver.Request second = receiver.requests("/rotating").get(1);
        assertThat(second.header("webhook-signature").split(" ")).hasSize(1);
        new Webhook(newest).verify(second.body(), headers(second));
        assertThatThrownBy(() -> new Webhook(newSecret).verify(second.body(), headers(second)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThat(second.header("webhook-id")).isEqualTo(test2.json().get("messageId").asText());
    }

    @Test
    void aManualResendCarriesTheSameWebhookId() {
        JsonNode endpoint = endpoint("/resend", List.of("key.created"));
        String id = endpoint.get("id").asText();
        String deliveryId = api.post("/api/v1/webhooks/" + id + "/test", adminKey, null).json().get("id").asText();
        Receiver.await("the test message", WAIT, () -> receiver.requests("/resend").size() == 1);
        Api.Response resent = api.post("/api/v1/webhooks/" + id + "/deliveries/" + deliveryId + "/resend", adminKey, null);
        assertThat(resent.status()).isEqualTo(202);
        Receiver.await("the resent message", WAIT, () -> receiver.requests("/resend").size() == 2);
        Set<String> ids = new HashSet<>();
        receiver.requests("/resend").forEach(r -> ids.add(r.header("webhook-id")));
        assertThat(ids).hasSize(1);
        Receiver.await("two attempts recorded", WAIT, () -> delivery(id, deliveryId).get("attempts").size() == 2);
    }

    /** The key-change messages received (a busy key may also bring a key.usage_spike). */
    private static List<Receiver.Request> keyChanges(Receiver receiver) {
        return receiver.requests("/ok").stream().filter(r -> !r.body().contains("\"key.usage_spike\"")).toList();
    }

    private static JsonNode ofType(List<Receiver.Request> received, String type) {
        return received.stream().map(r -> {
            try {
                return Api.JSON.readTree(r.body());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(message -> message.get("type").asText().equals(type)).findFirst().orElseThrow();
    }
}
