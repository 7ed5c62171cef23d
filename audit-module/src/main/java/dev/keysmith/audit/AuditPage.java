package dev.keysmith.audit;

import java.util.List;

/** A page of a trail, oldest first; {@code next} is the cursor of the following page, or null at the end. */
public record AuditPage(List<AuditRecord> items, String next) {
}
