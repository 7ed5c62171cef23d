/**
 * The events of the webhooks module (an endpoint's life), consumed by the audit trail. Records with a
 * {@code @Revision}; never renamed or moved. No event carries a signing secret: only its version number and a
 * fingerprint (the encrypted secret lives in the {@code webhook_secrets} collection).
 */
@org.springframework.modulith.NamedInterface("events")
package dev.keysmith.webhooks.events;
