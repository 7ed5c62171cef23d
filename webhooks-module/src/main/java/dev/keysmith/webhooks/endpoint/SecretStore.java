package dev.keysmith.webhooks.endpoint;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.keysmith.webhooks.WebhookEndpointId;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The signing secrets, encrypted (AES-GCM), one document per endpoint and version ({@code webhook_secrets}),
 * written by the command side before the event that names the version. Events carry the version and a
 * fingerprint only; deleting an endpoint erases its secrets.
 */
@Component
public class SecretStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> secrets;
    private final SecretCipher cipher;

    SecretStore(MongoDatabase database, SecretCipher cipher) {
        this.secrets = database.getCollection("webhook_secrets");
        this.cipher = cipher;
    }

    /** {@code whsec_} and the base64 of 32 random bytes (Standard Webhooks allows 24 to 64). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    /** A short, non-reversible name of a secret for people and events: {@code sha256:} and 12 hex digits. */
    public static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void store(WebhookEndpointId endpointId, int version, String secret) {
        String id = id(endpointId, version);
        secrets.replaceOne(Filters.eq("_id", id), new Document("_id", id)
                        .append("endpointId", endpointId.value()).append("version", version)
                        .append("sealed", cipher.encrypt(secret, id)),
                new ReplaceOptions().upsert(true));
    }

    /** The plaintext secret of this version, for signing; empty when erased. */
    public Optional<String> secret(WebhookEndpointId endpointId, int version) {
        String id = id(endpointId, version);
        return Optional.ofNullable(secrets.find(Filters.eq("_id", id)).first())
                .map(document -> cipher.decrypt(document.getString("sealed"), id));
    }

    void erase(WebhookEndpointId endpointId) {
        secrets.deleteMany(Filters.eq("endpointId", endpointId.value()));
    }

    private static String id(WebhookEndpointId endpointId, int version) {
        return endpointId.value() + ":" + version;
    }
}
