/**
 * Webhooks: a tenant's endpoints (an event-sourced aggregate), the Standard Webhooks signing of each delivery, and
 * the delivery queue in MongoDB with leases and retries, fed by the keys module's events. The top-level package is
 * the module's API (the {@link dev.keysmith.webhooks.Webhooks} facade, ids, views, event types, settings); its
 * events sit in {@link dev.keysmith.webhooks.events}; {@code endpoint} and {@code delivery} are internal. Uses the
 * keys module's ids and published events only; never sends it a command.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Webhooks", allowedDependencies = {"keys", "keys :: events"})
package dev.keysmith.webhooks;
