/**
 * Audit: the tamper-evident trail of everything that happened to a tenant, built from the keys module's events
 * (each with its actor, tenant and correlation metadata), chained by hash, and readable as of any point in time.
 * Reads the keys module's published events only ({@code keys :: events}); nothing else of it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit", allowedDependencies = "keys :: events")
package dev.keysmith.audit;
