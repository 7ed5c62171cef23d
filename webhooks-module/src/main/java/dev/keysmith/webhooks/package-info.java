/**
 * Webhooks: a tenant's endpoints, the signing of each delivery, and the delivery queue with its retries, fed by the
 * keys module's events. Reads the keys module's published events only ({@code keys :: events}); nothing else of it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Webhooks", allowedDependencies = "keys :: events")
package dev.keysmith.webhooks;
