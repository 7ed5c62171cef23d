package dev.keysmith.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of a trail. Record n's hash is the SHA-256 (hex) of the RFC 8785 canonical JSON of its facts:
 * position, eventId, type, time, tenantId, actor, actorType, ip, userAgent, correlationId, payload (the event as
 * JSON) and prevHash, record n-1's hash (64 zeros for the first record). Derived text (subject, description) is
 * not hashed: it comes from the payload and may read better in a later version without breaking the chain.
 * Used by the trail, by its verification and by the offline verifier of exports.
 */
public final class AuditChain {

    /** The prevHash of a tenant's first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditChain() {
    }

    /** The canonical form (RFC 8785) of a record's facts, as hashed. */
    public static String canonical(AuditRecord record) {
        ObjectNode content = JSON.createObjectNode();
        content.put("position", record.position());
        content.put("eventId", record.eventId());
        content.put("type", record.type());
        content.put("time", record.time() == null ? null : record.time().toString());
        content.put("tenantId", record.tenantId());
        content.put("actor", record.actor());
        content.put("actorType", record.actorType());
        content.put("ip", record.ip());
        content.put("userAgent", record.userAgent());
        content.put("correlationId", record.correlationId());
        try {
            content.set("payload", record.payload() == null ? JSON.nullNode() : JSON.readTree(record.payload()));
            content.put("prevHash", record.prevHash());
            return new JsonCanonicalizer(JSON.writeValueAsString(content)).getEncodedString();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The payload of record " + record.position() + " is not JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 (lower-case hex) of the record's canonical form. */
    public static String hash(AuditRecord record) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical(record).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
