/**
 * The events of the keys module: the contract other modules (audit, webhooks) consume and the event store keeps
 * forever. Each is a record with a {@code @Revision}; once released an event is never renamed or moved, and
 * shape changes go through upcasters. No event carries a secret or a password hash.
 */
@org.springframework.modulith.NamedInterface("events")
package dev.keysmith.keys.events;
