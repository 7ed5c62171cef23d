/**
 * Keys: tenants (workspaces), their members, plans and brands, and the API keys they issue. Every change is an
 * Axon event ({@link dev.keysmith.keys.events}); the top-level package is the module's API (ids, commands,
 * views, the {@link dev.keysmith.keys.Accounts} and {@link dev.keysmith.keys.TenantDirectory} facades), the
 * sub-packages are internal. Depends on no other Keysmith module.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Keys")
package dev.keysmith.keys;
