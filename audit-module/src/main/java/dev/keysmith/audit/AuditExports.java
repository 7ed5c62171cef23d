package dev.keysmith.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The line formats of an export: NDJSON (one JSON object per record, the payload as a JSON object) and CSV (a
 * header row, then one row per record, the payload as JSON text). Both carry position, prevHash and hash, so an
 * export can be verified without the server ({@link ExportVerifier}).
 */
public final class AuditExports {

    /** The CSV columns, in order. */
    public static final List<String> COLUMNS = List.of("position", "time", "type", "eventId", "tenantId", "actor",
            "actorType", "ip", "userAgent", "correlationId", "subjectKind", "subjectId", "subject", "description",
            "payload", "prevHash", "hash");

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditExports() {
    }

    public static void writeHeader(ExportFormat format, Writer out) throws IOException {
        if (format == ExportFormat.CSV) {
            out.write(String.join(",", COLUMNS));
            out.write("\r\n");
        }
    }

    public static void write(AuditRecord record, ExportFormat format, Writer out) throws IOException {
        if (format == ExportFormat.NDJSON) {
            out.write(ndjson(record));
            out.write("\n");
        } else {
            List<String> cells = cells(record);
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(csvCell(cells.get(i)));
            }
            out.write("\r\n");
        }
    }

    static String ndjson(AuditRecord record) {
        ObjectNode line = JSON.createObjectNode();
        line.put("position", record.position());
        line.put("time", record.time().toString());
        line.put("type", record.type());
        line.put("eventId", record.eventId());
        line.put("tenantId", record.tenantId());
        line.put("actor", record.actor());
        line.put("actorType", record.actorType());
        line.put("ip", record.ip());
        line.put("userAgent", record.userAgent());
        line.put("correlationId", record.correlationId());
        line.put("subjectKind", record.subjectKind());
        line.put("subjectId", record.subjectId());
        line.put("subject", record.subject());
        line.put("description", record.description());
        try {
            line.set("payload", JSON.readTree(record.payload()));
            line.put("prevHash", record.prevHash());
            line.put("hash", record.hash());
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> cells(AuditRecord r) {
        return java.util.Arrays.asList(Long.toString(r.position()), r.time().toString(), r.type(), r.eventId(),
                r.tenantId(), r.actor(), r.actorType(), r.ip(), r.userAgent(), r.correlationId(), r.subjectKind(),
                r.subjectId(), r.subject(), r.description(), r.payload(), r.prevHash(), r.hash());
    }

    /** RFC 4180 quoting; an absent value is an empty cell. Cells a spreadsheet would run as formulas are quoted too. */
    private static String csvCell(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty()) {
            return "\"\"";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0 || "=+-@".indexOf(value.charAt(0)) >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** Reads one NDJSON line back into a record. */
    static AuditRecord fromNdjson(String line) throws IOException {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return new AuditRecord(text(node, "tenantId"), node.path("position").asLong(-1), text(node, "eventId"),
                text(node, "type"), instant(text(node, "time")), text(node, "actor"), text(node, "actorType"),
                text(node, "ip"), text(node, "userAgent"), text(node, "correlationId"), text(node, "subjectKind"),
                text(node, "subjectId"), text(node, "subject"), text(node, "description"),
                node.has("payload") ? JSON.writeValueAsString(node.get("payload")) : null, text(node, "prevHash"),
                text(node, "hash"));
    }

    /** Reads one CSV row (already split into cells, in {@link #COLUMNS} order) back into a record. */
    static AuditRecord fromCsv(List<String> cells) throws IOException {
        if (cells.size() != COLUMNS.size()) {
            throw new IOException("expected " + COLUMNS.size() + " columns, found " + cells.size());
        }
        List<String> c = new ArrayList<>(cells.size());
        cells.forEach(cell -> c.add(cell));
        long position;
        try {
            position = Long.parseLong(c.get(0));
        } catch (NumberFormatException e) {
            throw new IOException("position is not a number");
        }
        return new AuditRecord(c.get(4), position, c.get(3), c.get(2), instant(c.get(1)), c.get(5), c.get(6),
                c.get(7), c.get(8), c.get(9), c.get(10), c.get(11), c.get(12), c.get(13), c.get(14), c.get(15),
                c.get(16));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(String text) throws IOException {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("time is not an ISO-8601 instant");
        }
    }
}
