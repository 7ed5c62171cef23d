package dev.keysmith.audit;

import dev.keysmith.keys.KeysmithException;

import java.util.Locale;

/** The export formats: one JSON object per line, or CSV with a header row. Both carry each record's hashes. */
public enum ExportFormat {
    NDJSON("application/x-ndjson", "ndjson"),
    CSV("text/csv", "csv");

    private final String mediaType;
    private final String extension;

    ExportFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    public static ExportFormat parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return NDJSON;
        }
        try {
            return valueOf(raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new KeysmithException.InvalidInput("format", "format must be ndjson or csv.");
        }
    }
}
