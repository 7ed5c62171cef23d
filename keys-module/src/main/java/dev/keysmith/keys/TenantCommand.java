package dev.keysmith.keys;

/** A command addressed to one tenant: its {@code tenantId} goes into the metadata of the events it causes. */
public interface TenantCommand {
    TenantId tenantId();
}
