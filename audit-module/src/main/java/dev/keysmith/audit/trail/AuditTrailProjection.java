package dev.keysmith.audit.trail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keysmith.audit.AuditChain;
import dev.keysmith.audit.AuditRecord;
import dev.keysmith.audit.ChainHead;
import dev.keysmith.audit.EventDescriber;
import dev.keysmith.keys.Actor;
import dev.keysmith.keys.EventTenants;
import dev.keysmith.keys.ProjectionWrites;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail: one tracking processor over every event of the store. Each event that belongs to a tenant
 * (a {@code tenantId} in its payload or metadata) becomes the tenant's next record, described by its
 * {@link EventDescriber} (or generically), and chained to the previous record by hash. Idempotent: an event already
 * in the trail (unique event id) is skipped. Rebuildable: the reset handler empties the trail's collections. A batch
 * of events is chained in memory and inserted at once when the batch commits.
 */
@Component
@ProcessingGroup(AuditTrailProjection.GROUP)
class AuditTrailProjection {

    static final String GROUP = "audit-trail";
    private static final String BATCH = AuditTrailProjection.class.getName() + ".batch";

    private final TrailStore store;
    private final Describers describers;
    private final ObjectMapper json;

    AuditTrailProjection(TrailStore store, Describers describers, ObjectMapper json) {
        this.store = store;
        this.describers = describers;
        this.json = json;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message) {
        String tenantId = tenantOf(payload, message.getMetaData());
        if (tenantId == null) {
            return;
        }
        Pending event = new Pending(tenantId, payload, message, describers.describe(payload, store));
        if (!CurrentUnitOfWork.isStarted()) {
            appendNow(event);
            return;
        }
        // The batch's records are chained in memory and inserted together when the batch commits.
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        List<Pending> batch = unitOfWork.getResource(BATCH);
        if (batch == null) { // not computeIfAbsent: ProjectionWrites keeps a resource in the same map
            List<Pending> pending = new ArrayList<>();
            unitOfWork.resources().put(BATCH, pending);
            ProjectionWrites.onFlush(() -> appendBatch(pending));
            unitOfWork.onRollback(rolledBack -> store.forgetCached());
            batch = pending;
        }
        AuditRecord record = event.record(store.head(tenantId), json);
        store.advanceCachedHead(record);
        batch.add(event.chained(record));
    }

    private void appendBatch(List<Pending> batch) {
        int firstKnown = store.appendAll(batch.stream().map(Pending::record).toList());
        if (firstKnown >= 0) {
            // a redelivered batch: from the first event the trail already holds, one by one from the stored heads
            store.forgetCached();
            batch.subList(firstKnown, batch.size()).forEach(this::appendNow);
        }
        batch.clear();
    }

    private void appendNow(Pending event) {
        for (int attempt = 0; attempt < 2; attempt++) {
            // a redelivered event is refused by the trail's unique event id; a stale head is re-read once
            AuditRecord record = event.record(store.head(event.tenantId()), json);
            if (store.append(record) != TrailStore.Outcome.STALE_HEAD) {
                return;
            }
        }
        throw new IllegalStateException("The audit trail of " + event.tenantId() + " changed under this node; will retry.");
    }

    /** An event on its way into the trail, with its record once chained. */
    private record Pending(String tenantId, Object payload, EventMessage<?> message,
                           EventDescriber.Description description, AuditRecord record) {
        Pending(String tenantId, Object payload, EventMessage<?> message, EventDescriber.Description description) {
            this(tenantId, payload, message, description, null);
        }

        AuditRecord record(ChainHead head, ObjectMapper json) {
            AuditRecord unhashed = AuditTrailProjection.record(tenantId, head, payload, message, description, json);
            return unhashed.withHash(AuditChain.hash(unhashed));
        }

        Pending chained(AuditRecord chained) {
            return new Pending(tenantId, payload, message, description, chained);
        }
    }

    @ResetHandler
    void reset() {
        store.clear();
    }

    static AuditRecord record(String tenantId, ChainHead head, Object payload, EventMessage<?> message,
                              EventDescriber.Description description, ObjectMapper json) {
        MetaData metaData = message.getMetaData();
        return new AuditRecord(tenantId, head.position() + 1, message.getIdentifier(),
                payload.getClass().getSimpleName(), message.getTimestamp(), text(metaData.get(Actor.ACTOR)),
                text(metaData.get(Actor.ACTOR_TYPE)), text(metaData.get(Actor.IP)),
                text(metaData.get(Actor.USER_AGENT)), text(metaData.get(Actor.CORRELATION_ID)),
                description.subjectKind(), description.subjectId(), description.subject(), description.text(),
                payloadJson(payload, json), head.hash(), null);
    }

    static String payloadJson(Object payload, ObjectMapper json) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + payload.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** The tenant an event belongs to ({@link EventTenants}); null for none. */
    static String tenantOf(Object payload, MetaData metaData) {
        return EventTenants.of(payload, metaData);
    }
}
