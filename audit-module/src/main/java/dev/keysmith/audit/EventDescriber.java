package dev.keysmith.audit;

import java.util.Optional;

/**
 * Teaches the audit trail what an event means for a person: its subject (a key with its name and prefix, a member's
 * email, a webhook endpoint's name...) and what changed (before -> after). Declare one as a Spring bean per event
 * type; events without one get a readable generic description. Describers run inside the trail's projection, in
 * event order, also on replay: what they need to remember about a subject (a key's name by its id...) they keep
 * in {@link Subjects}, the trail's own state, never in another module's read model.
 */
public interface EventDescriber<T> {

    Class<T> type();

    Description describe(T event, Subjects subjects);

    /** What a record shows: the subject's kind ({@code key}, {@code member}, {@code endpoint}, {@code tenant}), id, label. */
    record Description(String subjectKind, String subjectId, String subject, String text) {
    }

    /** A subject the trail remembers: e.g. kind {@code key}, its id, name and display prefix. */
    record Subject(String kind, String id, String name, String detail) {

        /** "Billing (ks_live_AbCd…wxyz)", or the name alone. */
        public String label() {
            return detail == null || detail.isBlank() ? name : name + " (" + detail + ")";
        }
    }

    /** The trail's memory of subjects, per tenant. */
    interface Subjects {

        Optional<Subject> find(String tenantId, String id);

        void remember(String tenantId, Subject subject);

        default String label(String tenantId, String id) {
            return find(tenantId, id).map(Subject::label).orElse(id);
        }
    }
}
