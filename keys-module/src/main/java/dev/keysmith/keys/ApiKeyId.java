package dev.keysmith.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.regex.Pattern;

/** The public identifier of an API key (never secret): {@code key_} and 16 base62 characters. */
public record ApiKeyId(@JsonValue String value) implements java.io.Serializable {

    private static final Pattern FORMAT = Pattern.compile("key_[0-9A-Za-z]{16}");

    @JsonCreator
    public ApiKeyId {
        Objects.requireNonNull(value, "value");
    }

    public static ApiKeyId generate() {
        return new ApiKeyId("key_" + RandomIds.base62(16));
    }

    /** Parses an id from a URL or form; a malformed id is simply not found. */
    public static ApiKeyId parse(String raw) {
        if (raw == null || !FORMAT.matcher(raw).matches()) {
            throw new KeysmithException.NotFound("key_not_found", "There is no API key with this id in this workspace.");
        }
        return new ApiKeyId(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
