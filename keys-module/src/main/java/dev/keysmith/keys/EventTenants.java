package dev.keysmith.keys;

import org.axonframework.messaging.MetaData;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant an event belongs to: its payload's {@code tenantId} component, else the {@code tenantId} metadata every
 * command stamps; null for neither. One definition for the audit trail (which chains each tenant's records) and the
 * processors' sequencing (which keeps each tenant's events in one segment, in order).
 */
public final class EventTenants {

    private static final Map<Class<?>, Optional<RecordComponent>> TENANT_COMPONENTS = new ConcurrentHashMap<>();

    private EventTenants() {
    }

    public static String of(Object payload, MetaData metaData) {
        if (payload instanceof Record record) {
            Optional<RecordComponent> component = TENANT_COMPONENTS.computeIfAbsent(record.getClass(), type -> {
                Optional<RecordComponent> tenantId = Arrays.stream(type.getRecordComponents())
                        .filter(candidate -> candidate.getName().equals("tenantId")).findFirst();
                tenantId.ifPresent(found -> found.getAccessor().setAccessible(true)); // records of any visibility
                return tenantId;
            });
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
