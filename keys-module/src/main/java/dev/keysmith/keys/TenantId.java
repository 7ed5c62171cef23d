package dev.keysmith.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a tenant (a workspace). Serialised as its bare value; Axon stores it as the aggregate id. */
public record TenantId(@JsonValue String value) implements java.io.Serializable {

    @JsonCreator
    public TenantId {
        Objects.requireNonNull(value, "value");
    }

    public static TenantId generate() {
        return new TenantId("ten_" + RandomIds.base62(16));
    }

    @Override
    public String toString() {
        return value;
    }
}
