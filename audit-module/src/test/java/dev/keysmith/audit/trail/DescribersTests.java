package dev.keysmith.audit.trail;

import dev.keysmith.audit.EventDescriber;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The generic description of events no describer knows (e.g. another module's events before it adds one). */
class DescribersTests {

    record WebhookEndpointCreated(String endpointId, String tenantId, String name, String url, Instant at) {
    }

    @Test
    void unknownEventsGetAReadableDescriptionAndASubject() {
        Describers describers = new Describers(List.of());
        EventDescriber.Description description = describers.describe(new WebhookEndpointCreated("ep_1", "ten_1",
                "Orders", "https://example.test/hook", Instant.parse("2030-01-01T00:00:00Z")), null);
        assertThat(description.subjectKind()).isEqualTo("endpoint");
        assertThat(description.subjectId()).isEqualTo("ep_1");
        assertThat(description.text()).isEqualTo("Webhook endpoint created: name=Orders, "
                + "url=https://example.test/hook, at=2030-01-01T00:00:00Z");
    }

    @Test
    void aRegisteredDescriberWins() {
        Describers describers = new Describers(List.of(KeysDescribers.describer(WebhookEndpointCreated.class,
                (event, subjects) -> new EventDescriber.Description("endpoint", event.endpointId(), event.name(),
                        "Endpoint " + event.name() + " created"))));
        assertThat(describers.describe(new WebhookEndpointCreated("ep_1", "ten_1", "Orders", "https://x.test", null),
                null).text()).isEqualTo("Endpoint Orders created");
    }

    @Test
    void usageCountsReadByStatusClass() {
        assertThat(KeysDescribers.statusClasses(java.util.Map.of("4xx", 1L, "2xx", 3L))).isEqualTo(" (2xx: 3, 4xx: 1)");
        assertThat(KeysDescribers.statusClasses(java.util.Map.of())).isEmpty();
    }

    @Test
    void theTenantComesFromThePayloadOrTheMetadata() {
        assertThat(AuditTrailProjection.tenantOf(new WebhookEndpointCreated("ep", "ten_p", "n", "u", null),
                org.axonframework.messaging.MetaData.with("tenantId", "ten_m"))).isEqualTo("ten_p");
        assertThat(AuditTrailProjection.tenantOf("plain", org.axonframework.messaging.MetaData.with("tenantId",
                "ten_m"))).isEqualTo("ten_m");
        assertThat(AuditTrailProjection.tenantOf("plain", org.axonframework.messaging.MetaData.emptyInstance()))
                .isNull();
    }

    @Test
    void everyEventOfTheStoreIsDescribedAndOfferedAsAFilterType() {
        var scanner = new org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new org.springframework.core.type.filter.AnnotationTypeFilter(
                org.axonframework.serialization.Revision.class));
        // aggregates carry a revision too, for their snapshots; they are not events
        scanner.addExcludeFilter(new org.springframework.core.type.filter.AnnotationTypeFilter(
                org.axonframework.modelling.command.AggregateRoot.class));
        List<String> events = scanner.findCandidateComponents("dev.keysmith").stream()
                .map(bean -> bean.getBeanClassName().substring(bean.getBeanClassName().lastIndexOf('.') + 1))
                .sorted().toList();
        assertThat(events).contains("ApiKeyCreated", "ApiKeyUsageSpiked", "MemberAdded", "WebhookEndpointCreated",
                "WebhookSecretRotated");
        assertThat(TestTrail.describers().typeNames()).isEqualTo(events);
    }
}
