package dev.keysmith.audit.trail;

import dev.keysmith.keys.TenantId;
import org.springframework.stereotype.Component;

import java.util.List;

/** What the trail knows about a tenant's subjects, for time travel (which keys and endpoints ever existed). */
@Component
public class TrailSubjects {

    private final TrailStore store;

    TrailSubjects(TrailStore store) {
        this.store = store;
    }

    /** Every key id the tenant's trail has seen, in order of first appearance. */
    public List<String> keyIds(TenantId tenantId) {
        return store.subjectIds(tenantId.value(), KeysDescribers.KEY);
    }

    /** Every webhook endpoint id the tenant's trail has seen, in order of first appearance. */
    public List<String> endpointIds(TenantId tenantId) {
        return store.subjectIds(tenantId.value(), WebhooksDescribers.ENDPOINT);
    }
}
