package dev.keysmith.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a member (a person who signs in to a tenant's workspace). */
public record MemberId(@JsonValue String value) implements java.io.Serializable {

    @JsonCreator
    public MemberId {
        Objects.requireNonNull(value, "value");
    }

    public static MemberId generate() {
        return new MemberId("mem_" + RandomIds.base62(16));
    }

    @Override
    public String toString() {
        return value;
    }
}
