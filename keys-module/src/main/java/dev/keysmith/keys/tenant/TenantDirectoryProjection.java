package dev.keysmith.keys.tenant;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.MemberView;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.TenantView;
import dev.keysmith.keys.events.BrandAdded;
import dev.keysmith.keys.events.BrandRemoved;
import dev.keysmith.keys.events.MemberAdded;
import dev.keysmith.keys.events.MemberRemoved;
import dev.keysmith.keys.events.MemberRoleChanged;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The {@code tenants} and {@code members} collections, built from tenant events. Idempotent (every handler sets
 * values, so a redelivered event changes nothing) and rebuildable (the reset handler empties both).
 */
@Component
@ProcessingGroup(TenantDirectoryProjection.GROUP)
class TenantDirectoryProjection implements TenantDirectory {

    static final String GROUP = "tenant-directory";

    private final MongoCollection<Document> tenants;
    private final MongoCollection<Document> members;

    TenantDirectoryProjection(MongoDatabase database) {
        this.tenants = database.getCollection("tenants");
        this.members = database.getCollection("members");
        tenants.createIndex(Indexes.ascending("clientId"), new IndexOptions().unique(true));
        members.createIndex(Indexes.ascending("tenantId"));
    }

    @EventHandler
    void on(TenantRegistered event, @Timestamp Instant at) {
        Document tenant = new Document("_id", event.tenantId().value())
                .append("name", event.name())
                .append("clientId", event.clientId())
                .append("teamNumber", event.teamNumber())
                .append("plan", event.plan().name())
                .append("brands", List.of())
                .append("created", Date.from(at));
        tenants.replaceOne(Filters.eq("_id", tenant.get("_id")), tenant, new ReplaceOptions().upsert(true));
        upsertMember(event.tenantId(), event.ownerId(), event.ownerEmail(), Role.OWNER, at);
    }

    @EventHandler
    void on(PlanChanged event) {
        tenants.updateOne(Filters.eq("_id", event.tenantId().value()), Updates.set("plan", event.to().name()));
    }

    @EventHandler
    void on(BrandAdded event) {
        tenants.updateOne(Filters.eq("_id", event.tenantId().value()), Updates.addToSet("brands", event.name()));
    }

    @EventHandler
    void on(BrandRemoved event) {
        tenants.updateOne(Filters.eq("_id", event.tenantId().value()), Updates.pull("brands", event.name()));
    }

    @EventHandler
    void on(MemberAdded event, @Timestamp Instant at) {
        upsertMember(event.tenantId(), event.memberId(), event.email(), event.role(), at);
    }

    @EventHandler
    void on(MemberRoleChanged event) {
        members.updateOne(Filters.eq("_id", event.memberId().value()), Updates.set("role", event.to().name()));
    }

    @EventHandler
    void on(MemberRemoved event) {
        members.deleteOne(Filters.eq("_id", event.memberId().value()));
    }

    @ResetHandler
    void reset() {
        tenants.deleteMany(new Document());
        members.deleteMany(new Document());
    }

    private void upsertMember(TenantId tenantId, MemberId memberId, String email, Role role, Instant at) {
        Document member = new Document("_id", memberId.value())
                .append("tenantId", tenantId.value())
                .append("email", email)
                .append("role", role.name())
                .append("added", Date.from(at));
        members.replaceOne(Filters.eq("_id", memberId.value()), member, new ReplaceOptions().upsert(true));
    }

    @Override
    public Optional<TenantView> tenant(TenantId tenantId) {
        return Optional.ofNullable(tenants.find(Filters.eq("_id", tenantId.value())).first()).map(this::tenantView);
    }

    @Override
    public Optional<TenantView> tenantByClientId(String clientId) {
        return Optional.ofNullable(tenants.find(Filters.eq("clientId", clientId)).first()).map(this::tenantView);
    }

    @Override
    public Optional<MemberView> member(TenantId tenantId, MemberId memberId) {
        return Optional.ofNullable(members.find(Filters.eq("_id", memberId.value())).first())
                .filter(document -> tenantId.value().equals(document.getString("tenantId")))
                .map(this::memberView);
    }

    @Override
    public List<MemberView> members(TenantId tenantId) {
        return members.find(Filters.eq("tenantId", tenantId.value())).sort(Sorts.ascending("added", "email"))
                .map(this::memberView).into(new ArrayList<>());
    }

    private TenantView tenantView(Document document) {
        return new TenantView(new TenantId(document.getString("_id")), document.getString("name"),
                document.getString("clientId"), document.get("teamNumber", Number.class).longValue(),
                Plan.valueOf(document.getString("plan")), document.getList("brands", String.class, List.of()),
                document.getDate("created").toInstant());
    }

    private MemberView memberView(Document document) {
        return new MemberView(new MemberId(document.getString("_id")), new TenantId(document.getString("tenantId")),
                document.getString("email"), Role.valueOf(document.getString("role")),
                document.getDate("added").toInstant());
    }
}
