/**
 * Audit: the tamper-evident trail of everything that happened to a tenant, built from the event store (each
 * event with its actor, tenant and correlation metadata), hash-chained per tenant, verifiable against the event
 * store, exportable (NDJSON, CSV) and verifiable offline ({@link dev.keysmith.audit.ExportVerifier}), readable as
 * of any past instant ({@link dev.keysmith.audit.TimeTravel}), and the replay of any projection
 * ({@link dev.keysmith.audit.Replays}). Other modules teach the trail to describe their events by declaring
 * {@link dev.keysmith.audit.EventDescriber} beans. Reads the keys and webhooks modules' API types and published events; never
 * sends a command.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit",
        allowedDependencies = {"keys", "keys :: events", "webhooks", "webhooks :: events"})
package dev.keysmith.audit;
