package dev.keysmith.audit;

import dev.keysmith.keys.KeysmithException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chain's canonical form and hash, the export formats, and the offline verifier, without any store. */
class AuditChainTests {

    static List<AuditRecord> chain(int length) {
        List<AuditRecord> records = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= length; i++) {
            AuditRecord r = new AuditRecord("ten_x", i, "evt-" + i, "ApiKeyRenamed",
                    Instant.parse("2030-01-01T00:00:00.123456789Z").plusSeconds(i), "mem_1", "member", "203.0.113.9",
                    "Agent, \"quoted\"\nnext line", "corr-" + i, "key", "key_1", "Billing, Inc.", "=Name a -> b",
                    "{\"keyId\":\"key_1\",\"from\":\"a\",\"to\":\"é " + i + "\",\"rate\":1.50,\"n\":" + i + "}", prev,
                    null);
            r = r.withHash(AuditChain.hash(r));
            records.add(r);
            prev = r.hash();
        }
        return records;
    }

    @Test
    void theCanonicalFormSortsKeysAndNormalisesNumbers() {
        AuditRecord record = chain(1).get(0);
        String canonical = AuditChain.canonical(record);
        assertThat(canonical).startsWith("{\"actor\":\"mem_1\",\"actorType\":\"member\",\"correlationId\":\"corr-1\"");
        assertThat(canonical).contains("\"payload\":{\"from\":\"a\",\"keyId\":\"key_1\",\"n\":1,\"rate\":1.5,");
        assertThat(canonical).doesNotContain("description").doesNotContain("subject");
        // the same facts written differently hash the same
        AuditRecord reformatted = new AuditRecord(record.tenantId(), record.position(), record.eventId(),
                record.type(), record.time(), record.actor(), record.actorType(), record.ip(), record.userAgent(),
                record.correlationId(), null, null, null, "another description",
                "{ \"to\": \"\\u00e9 1\", \"rate\": 1.5e0, \"n\": 1, \"from\": \"a\", \"keyId\": \"key_1\" }",
                record.prevHash(), null);
        assertThat(AuditChain.hash(reformatted)).isEqualTo(record.hash()).hasSize(64);
        AuditRecord moved = new AuditRecord(record.tenantId(), 2, record.eventId(), record.type(), record.time(),
                record.actor(), record.actorType(), record.ip(), record.userAgent(), record.correlationId(), null,
                null, null, null, record.payload(), record.prevHash(), null);
        assertThat(AuditChain.hash(moved)).isNotEqualTo(record.hash());
    }

    static String export(List<AuditRecord> records, ExportFormat format) throws IOException {
        StringWriter out = new StringWriter();
        AuditExports.writeHeader(format, out);
        for (AuditRecord record : records) {
            AuditExports.write(record, format, out);
        }
        return out.toString();
    }

    @Test
    void bothFormatsRoundTripThroughTheVerifier() throws IOException {
        List<AuditRecord> records = chain(4);
        ChainHead head = new ChainHead(4, records.get(3).hash());
        for (ExportFormat format : ExportFormat.values()) {
            String text = export(records, format);
            ExportVerifier.Result result = ExportVerifier.verify(new StringReader(text), format == ExportFormat.CSV,
                    head);
            assertThat(result.verified()).as(format + ": " + result.message()).isTrue();
            assertThat(result.records()).isEqualTo(4);
            assertThat(result.last()).isEqualTo(head);
        }
        // CSV cells that a spreadsheet would run as formulas are quoted
        assertThat(export(records, ExportFormat.CSV)).contains(",\"=Name a -> b\",");
    }

    @Test
    void breaksAreFoundAtTheirLine() throws IOException {
        List<String> lines = new ArrayList<>(export(chain(4), ExportFormat.NDJSON).lines().toList());
        List<String> altered = new ArrayList<>(lines);
        altered.set(2, altered.get(2).replace("\"203.0.113.9\"", "\"198.51.100.1\""));
        assertThat(verify(altered, null).line()).isEqualTo(3L);
        List<String> removed = new ArrayList<>(lines);
        removed.remove(0);
        ExportVerifier.Result noGenesis = verify(removed, null);
        assertThat(noGenesis.verified()).as("a filtered export starting later still verifies").isTrue();
        List<String> forged = new ArrayList<>(export(chain(4), ExportFormat.NDJSON).lines().toList());
        forged.set(1, forged.get(1).replaceAll("\"prevHash\":\"[0-9a-f]{64}\"", "\"prevHash\":\"" + "1".repeat(64) + "\""));
        assertThat(verify(forged, null).line()).isEqualTo(2L);
        assertThat(verify(lines, new ChainHead(3, "00")).verified()).isFalse();
        assertThat(verify(lines, new ChainHead(9, "00")).message()).contains("not in this export");
        assertThat(verify(List.of("not json"), null).line()).isEqualTo(1L);
    }

    private static ExportVerifier.Result verify(List<String> lines, ChainHead head) throws IOException {
        return ExportVerifier.verify(new StringReader(String.join("\n", lines)), false, head);
    }

    @Test
    void instantsAcceptTheUsualFormsAndNameTheFieldOtherwise() {
        assertThat(AuditInstants.required("at", "2026-03-01T09:30:00Z")).isEqualTo("2026-03-01T09:30:00Z");
        assertThat(AuditInstants.required("at", "2026-03-01T10:30:00+01:00")).isEqualTo("2026-03-01T09:30:00Z");
        assertThat(AuditInstants.required("at", "2026-03-01T09:30")).isEqualTo("2026-03-01T09:30:00Z");
        assertThat(AuditInstants.required("at", "2026-03-01")).isEqualTo("2026-03-01T00:00:00Z");
        assertThatThrownBy(() -> AuditInstants.required("at", "yesterday"))
                .isInstanceOfSatisfying(KeysmithException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("at"));
        assertThatThrownBy(() -> AuditInstants.required("at", " "))
                .isInstanceOfSatisfying(KeysmithException.InvalidInput.class,
                        e -> assertThat(e.getMessage()).contains("at is required"));
        assertThatThrownBy(() -> AuditInstants.filter("2026-03-02", "2026-03-01", null, null, null, null))
                .isInstanceOfSatisfying(KeysmithException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("to"));
    }
}
