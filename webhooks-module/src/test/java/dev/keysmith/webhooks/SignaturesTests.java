package dev.keysmith.webhooks;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignaturesTests {

    static final String SECRET = "whsec_plJ3nmyCDGBKInavdOK15jsl";
    static final String ID = "msg_loFOjxBNrRLzqYUf";
    static final String BODY = "{\"event_type\":\"ping\",\"data\":{\"success\":true}}";

    @Test
    void standardWebhooksTestVector() {
        assertThat(Signatures.sign(List.of(SECRET), ID, 1731705121L, BODY))
                .isEqualTo("v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0=");
    }

    @Test
    void overlapSendsBothSignaturesAndEitherSecretVerifies() throws Exception {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        long now = Instant.now().getEpochSecond();
        String signature = Signatures.sign(List.of(other, SECRET), ID, now, BODY);
        assertThat(signature.split(" ")).hasSize(2).allMatch(part -> part.startsWith("v1,"));
        new Webhook(SECRET).verify(BODY, headers(ID, now, signature));
        new Webhook(other).verify(BODY, headers(ID, now, signature));
    }

    @Test
    void theLibraryRefusesTamperingWrongSecretsAndStaleTimestamps() {
        long now = Instant.now().getEpochSecond();
        String signature = Signatures.sign(List.of(SECRET), ID, now, BODY);
        assertThatThrownBy(() -> new Webhook(SECRET).verify(BODY.replace("true", "false"), headers(ID, now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]))
                .verify(BODY, headers(ID, now, signature))).isInstanceOf(WebhookVerificationException.class);
        long stale = now - 360;
        assertThatThrownBy(() -> new Webhook(SECRET).verify(BODY,
                headers(ID, stale, Signatures.sign(List.of(SECRET), ID, stale, BODY))))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void seedHeaderIsTheHexHmacOfTheBody() {
        assertThat(Signatures.seedSignature(SECRET, BODY)).matches("v1=[0-9a-f]{64}");
        assertThat(Signatures.seedSignature(SECRET, BODY)).isNotEqualTo(Signatures.seedSignature(SECRET, BODY + " "));
    }

    static HttpHeaders headers(String id, long timestamp, String signature) {
        return HttpHeaders.of(Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature)), (a, b) -> true);
    }
}
