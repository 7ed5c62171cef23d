package dev.keysmith.keys.tenant;

import dev.keysmith.keys.Inputs;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantCommands.AddBrand;
import dev.keysmith.keys.TenantCommands.AddMember;
import dev.keysmith.keys.TenantCommands.ChangeMemberRole;
import dev.keysmith.keys.TenantCommands.ChangePlan;
import dev.keysmith.keys.TenantCommands.RecordPasswordChange;
import dev.keysmith.keys.TenantCommands.RegisterTenant;
import dev.keysmith.keys.TenantCommands.RemoveBrand;
import dev.keysmith.keys.TenantCommands.RemoveMember;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.TenantTerms;
import dev.keysmith.keys.events.BrandAdded;
import dev.keysmith.keys.events.BrandRemoved;
import dev.keysmith.keys.events.MemberAdded;
import dev.keysmith.keys.events.MemberPasswordChanged;
import dev.keysmith.keys.events.MemberRemoved;
import dev.keysmith.keys.events.MemberRoleChanged;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tenant (workspace): its plan, brands and members. Validates in command handlers, assigns state only in
 * event sourcing handlers. Invariants: a tenant always keeps at least one owner; brand names and member emails
 * are unique within it (emails are also unique across tenants, through the credentials store).
 */
@Aggregate
class Tenant {

    static final int MAX_BRANDS = 50;

    @AggregateIdentifier
    private TenantId id;
    private Plan plan;
    private final Map<String, String> brands = new LinkedHashMap<>();
    private final Map<MemberId, Member> members = new LinkedHashMap<>();

    private record Member(String email, Role role) {
    }

    Tenant() {
    }

    @CommandHandler
    Tenant(RegisterTenant command) {
        apply(new TenantRegistered(command.tenantId(), command.name(), command.clientId(), command.teamNumber(),
                command.plan(), command.ownerId(), command.ownerEmail()));
    }

    @CommandHandler
    void handle(ChangePlan command) {
        if (command.plan() != plan) {
            apply(new PlanChanged(id, plan, command.plan()));
        }
    }

    @CommandHandler
    void handle(AddBrand command) {
        String name = Inputs.brandName(command.name());
        if (brands.containsKey(name.toLowerCase(Locale.ROOT))) {
            throw new KeysmithException.Conflict("brand_exists", "A brand named \"" + name + "\" already exists.");
        }
        if (brands.size() >= MAX_BRANDS) {
            throw new KeysmithException.Conflict("brand_limit_reached",
                    "A workspace can have at most " + MAX_BRANDS + " brands.");
        }
        apply(new BrandAdded(id, name));
    }

    @CommandHandler
    void handle(RemoveBrand command) {
        String stored = brands.get(command.name() == null ? "" : command.name().strip().toLowerCase(Locale.ROOT));
        if (stored == null) {
            throw new KeysmithException.NotFound("brand_not_found", "There is no brand named \"" + command.name() + "\".");
        }
        apply(new BrandRemoved(id, stored));
    }

    @CommandHandler
    void handle(AddMember command) {
        if (members.containsKey(command.memberId())) {
            throw new KeysmithException.Conflict("member_exists", "This member already exists.");
        }
        apply(new MemberAdded(id, command.memberId(), command.email(), command.role()));
    }

    @CommandHandler
    void handle(ChangeMemberRole command) {
        Role current = memberRole(command.memberId());
        if (current == command.role()) {
            return;
        }
        if (current == Role.OWNER && ownerCount() == 1) {
            throw new KeysmithException.Conflict("last_owner",
                    "This member is the workspace's only owner: make another member an owner first.");
        }
        apply(new MemberRoleChanged(id, command.memberId(), current, command.role()));
    }

    @CommandHandler
    void handle(RemoveMember command) {
        Role current = memberRole(command.memberId());
        if (current == Role.OWNER && ownerCount() == 1) {
            throw new KeysmithException.Conflict("last_owner",
                    "This member is the workspace's only owner and cannot be removed.");
        }
        apply(new MemberRemoved(id, command.memberId(), members.get(command.memberId()).email()));
    }

    @CommandHandler
    void handle(RecordPasswordChange command) {
        memberRole(command.memberId());
        apply(new MemberPasswordChanged(id, command.memberId(), command.initialPasswordReplaced()));
    }

    TenantTerms.Terms terms() {
        return new TenantTerms.Terms(plan, List.copyOf(brands.values()));
    }

    private Role memberRole(MemberId memberId) {
        Member member = members.get(memberId);
        if (member == null) {
            throw new KeysmithException.NotFound("member_not_found", "No such member in this workspace.");
        }
        return member.role();
    }

    private long ownerCount() {
        return members.values().stream().filter(member -> member.role() == Role.OWNER).count();
    }

    @EventSourcingHandler
    void on(TenantRegistered event) {
        id = event.tenantId();
        plan = event.plan();
        members.put(event.ownerId(), new Member(event.ownerEmail(), Role.OWNER));
    }

    @EventSourcingHandler
    void on(PlanChanged event) {
        plan = event.to();
    }

    @EventSourcingHandler
    void on(BrandAdded event) {
        brands.put(event.name().toLowerCase(Locale.ROOT), event.name());
    }

    @EventSourcingHandler
    void on(BrandRemoved event) {
        brands.remove(event.name().toLowerCase(Locale.ROOT));
    }

    @EventSourcingHandler
    void on(MemberAdded event) {
        members.put(event.memberId(), new Member(event.email(), event.role()));
    }

    @EventSourcingHandler
    void on(MemberRoleChanged event) {
        members.computeIfPresent(event.memberId(), (memberId, member) -> new Member(member.email(), event.to()));
    }

    @EventSourcingHandler
    void on(MemberRemoved event) {
        members.remove(event.memberId());
    }
}
