package dev.keysmith.audit.trail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keysmith.audit.AuditChain;
import dev.keysmith.audit.AuditRecord;
import dev.keysmith.audit.ChainHead;
import dev.keysmith.audit.EventDescriber;
import dev.keysmith.keys.Actor;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The audit trail: one tracking processor over every event of the store. Each event that belongs to a tenant
 * (a {@code tenantId} in its payload or metadata) becomes the tenant's next record, described by its
 * {@link EventDescriber} (or generically), and chained to the previous record by hash. Idempotent: an event already
 * in the trail (unique event id) is skipped. Rebuildable: the reset handler empties the trail's collections.
 */
@Component
@ProcessingGroup(AuditTrailProjection.GROUP)
class AuditTrailProjection {

    static final String GROUP = "audit-trail";

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
        EventDescriber.Description description = describers.describe(payload, store);
        for (int attempt = 0; attempt < 2; attempt++) {
            // a redelivered event is refused by the trail's unique event id; a stale head is re-read once
            AuditRecord record = record(tenantId, store.head(tenantId), payload, message, description, json);
            if (store.append(record.withHash(AuditChain.hash(record))) != TrailStore.Outcome.STALE_HEAD) {
                return;
            }
        }
        throw new IllegalStateException("The audit trail of " + tenantId + " changed under this node; will retry.");
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

    private static final Map<Class<?>, Optional<RecordComponent>> TENANT_COMPONENTS = new ConcurrentHashMap<>();

    /** The tenant an event belongs to: its payload's {@code tenantId}, else its metadata's; null for none. */
    static String tenantOf(Object payload, MetaData metaData) {
        if (payload instanceof Record record) {
            Optional<RecordComponent> component = TENANT_COMPONENTS.computeIfAbsent(record.getClass(), type ->
                    Arrays.stream(type.getRecordComponents())
                            .filter(candidate -> candidate.getName().equals("tenantId")).findFirst());
            if (component.isPresent()) {
                try {
                    Object value = component.get().getAccessor().invoke(record);
                    if (value != null) {
                        return value.toString();
                    }
                } catch (ReflectiveOperationException ignored) {
                    // fall back on the metadata
                }
            }
        }
        Object tenant = metaData.get(Actor.TENANT_ID);
        return tenant == null || tenant.toString().isBlank() ? null : tenant.toString();
    }
}
