package dev.keysmith.audit.trail;

import dev.keysmith.audit.EventDescriber;
import org.springframework.stereotype.Component;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every {@link EventDescriber} bean by event type, and the generic description of events without one: the type in
 * words and the payload's fields ({@code name=value}, the tenant left out), the subject guessed from an id field.
 */
@Component
class Describers {

    private static final Set<String> SKIPPED = Set.of("tenantId");

    private final Map<Class<?>, EventDescriber<?>> byType = new HashMap<>();

    Describers(List<EventDescriber<?>> describers) {
        describers.forEach(describer -> byType.put(describer.type(), describer));
    }

    /** The simple names of the event types described (what the trail's records carry as type), sorted. */
    List<String> typeNames() {
        return byType.keySet().stream().map(Class::getSimpleName).distinct().sorted().toList();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    EventDescriber.Description describe(Object event, EventDescriber.Subjects subjects) {
        EventDescriber describer = byType.get(event.getClass());
        if (describer != null) {
            return describer.describe(event, subjects);
        }
        return generic(event);
    }

    static EventDescriber.Description generic(Object event) {
        String words = words(event.getClass().getSimpleName());
        if (!(event instanceof Record record)) {
            return new EventDescriber.Description(null, null, null, words);
        }
        List<String> fields = new ArrayList<>();
        String subjectKind = null;
        String subjectId = null;
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            String name = component.getName();
            if (SKIPPED.contains(name) || value == null) {
                continue;
            }
            if (subjectId == null && (name.equals("keyId") || name.equals("endpointId") || name.equals("memberId"))) {
                subjectKind = name.substring(0, name.length() - 2);
                subjectId = value.toString();
                continue;
            }
            String text = value.toString();
            fields.add(name + "=" + (text.length() > 80 ? text.substring(0, 80) + "…" : text));
        }
        return new EventDescriber.Description(subjectKind, subjectId, subjectId,
                fields.isEmpty() ? words : words + ": " + String.join(", ", fields));
    }

    /** "WebhookEndpointCreated" -> "Webhook endpoint created". */
    static String words(String type) {
        String spaced = type.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return spaced.isEmpty() ? type : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
