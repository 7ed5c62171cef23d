package dev.keysmith.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Standard Webhooks v1 signatures: {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}, keyed with the
 * base64-decoded part of the secret after {@code whsec_}; several secrets (a rotation's overlap) give several
 * space-separated signatures. Also the seed's {@code X-Webhook-Sign: v1=<hex HMAC-SHA256 of the body>}.
 */
public final class Signatures {

    private Signatures() {
    }

    /** The value of {@code webhook-signature} for these secrets (newest first). */
    public static String sign(List<String> secrets, String messageId, long timestamp, String body) {
        return secrets.stream().map(secret -> "v1," + Base64.getEncoder().encodeToString(
                        hmac(secret, messageId + "." + timestamp + "." + body)))
                .collect(Collectors.joining(" "));
    }

    /** The value of the seed's {@code X-Webhook-Sign} header: {@code v1=} and the hex HMAC of the raw body. */
    public static String seedSignature(String secret, String body) {
        return "v1=" + HexFormat.of().formatHex(hmac(secret, body));
    }

    static byte[] hmac(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    static byte[] key(String secret) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
