package dev.keysmith.audit.trail;

import dev.keysmith.audit.EventDescriber;
import dev.keysmith.audit.EventDescriber.Description;
import dev.keysmith.audit.EventDescriber.Subject;
import dev.keysmith.audit.EventDescriber.Subjects;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyExpired;
import dev.keysmith.keys.events.ApiKeyHidden;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.ApiKeyUsageSettled;
import dev.keysmith.keys.events.ApiKeyUsageSpiked;
import dev.keysmith.keys.events.ApiKeyUsed;
import dev.keysmith.keys.events.BrandAdded;
import dev.keysmith.keys.events.BrandRemoved;
import dev.keysmith.keys.events.MemberAdded;
import dev.keysmith.keys.events.MemberPasswordChanged;
import dev.keysmith.keys.events.MemberRemoved;
import dev.keysmith.keys.events.MemberRoleChanged;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** How the trail describes the keys module's events: keys by name and prefix, members by email, before -> after. */
@Configuration(proxyBeanMethods = false)
class KeysDescribers {

    static final String KEY = "key";
    static final String MEMBER = "member";
    static final String TENANT = "tenant";

    static <T> EventDescriber<T> describer(Class<T> type, BiFunction<T, Subjects, Description> describe) {
        return new EventDescriber<>() {
            @Override
            public Class<T> type() {
                return type;
            }

            @Override
            public Description describe(T event, Subjects subjects) {
                return describe.apply(event, subjects);
            }
        };
    }

    private static String masked(String prefix, String last4) {
        return prefix + "…" + last4;
    }

    private static Description key(TenantId tenant, ApiKeyId id, Subjects subjects, String text) {
        return new Description(KEY, id.value(), subjects.label(tenant.value(), id.value()), text);
    }

    private static String list(List<String> values) {
        return values == null || values.isEmpty() ? "anywhere" : String.join(", ", values);
    }

    private static String lower(Enum<?> value) {
        return value == null ? "none" : value.name().toLowerCase(Locale.ROOT);
    }

    @Bean
    EventDescriber<TenantRegistered> tenantRegisteredDescriber() {
        return describer(TenantRegistered.class, (e, s) -> {
            s.remember(e.tenantId().value(), new Subject(TENANT, e.tenantId().value(), e.name(), null));
            s.remember(e.tenantId().value(), new Subject(MEMBER, e.ownerId().value(), e.ownerEmail(), null));
            return new Description(TENANT, e.tenantId().value(), e.name(), "Workspace " + e.name()
                    + " registered on the " + lower(e.plan()) + " plan with owner " + e.ownerEmail()
                    + " (Client ID " + e.clientId() + ")");
        });
    }

    @Bean
    EventDescriber<PlanChanged> planChangedDescriber() {
        return describer(PlanChanged.class, (e, s) -> new Description(TENANT, e.tenantId().value(),
                s.label(e.tenantId().value(), e.tenantId().value()),
                "Plan " + lower(e.from()) + " -> " + lower(e.to())));
    }

    @Bean
    EventDescriber<BrandAdded> brandAddedDescriber() {
        return describer(BrandAdded.class, (e, s) -> new Description(TENANT, e.tenantId().value(),
                s.label(e.tenantId().value(), e.tenantId().value()), "Brand " + e.name() + " added"));
    }

    @Bean
    EventDescriber<BrandRemoved> brandRemovedDescriber() {
        return describer(BrandRemoved.class, (e, s) -> new Description(TENANT, e.tenantId().value(),
                s.label(e.tenantId().value(), e.tenantId().value()), "Brand " + e.name() + " removed"));
    }

    @Bean
    EventDescriber<MemberAdded> memberAddedDescriber() {
        return describer(MemberAdded.class, (e, s) -> {
            s.remember(e.tenantId().value(), new Subject(MEMBER, e.memberId().value(), e.email(), null));
            return new Description(MEMBER, e.memberId().value(), e.email(),
                    "Member " + e.email() + " added as " + e.role().label());
        });
    }

    @Bean
    EventDescriber<MemberRoleChanged> memberRoleChangedDescriber() {
        return describer(MemberRoleChanged.class, (e, s) -> new Description(MEMBER, e.memberId().value(),
                s.label(e.tenantId().value(), e.memberId().value()),
                "Role " + e.from().label() + " -> " + e.to().label()));
    }

    @Bean
    EventDescriber<MemberRemoved> memberRemovedDescriber() {
        return describer(MemberRemoved.class, (e, s) -> new Description(MEMBER, e.memberId().value(), e.email(),
                "Member " + e.email() + " removed"));
    }

    @Bean
    EventDescriber<MemberPasswordChanged> memberPasswordChangedDescriber() {
        return describer(MemberPasswordChanged.class, (e, s) -> new Description(MEMBER, e.memberId().value(),
                s.label(e.tenantId().value(), e.memberId().value()),
                e.initialPasswordReplaced() ? "Initial password replaced" : "Password changed"));
    }

    @Bean
    EventDescriber<ApiKeyCreated> apiKeyCreatedDescriber() {
        return describer(ApiKeyCreated.class, (e, s) -> {
            s.remember(e.tenantId().value(), new Subject(KEY, e.keyId().value(), e.name(),
                    masked(e.prefix(), e.last4())));
            return key(e.tenantId(), e.keyId(), s, (e.temporary() ? "Temporary key" : "Key") + " created: "
                    + e.environment().label() + (e.brand() == null ? "" : ", brand " + e.brand())
                    + ", IPs " + list(e.ips()) + ", expires " + (e.expires() == null ? "never" : e.expires()));
        });
    }

    @Bean
    EventDescriber<ApiKeyRenamed> apiKeyRenamedDescriber() {
        return describer(ApiKeyRenamed.class, (e, s) -> {
            String tenant = e.tenantId().value();
            String detail = s.find(tenant, e.keyId().value()).map(Subject::detail).orElse(null);
            s.remember(tenant, new Subject(KEY, e.keyId().value(), e.to(), detail));
            return new Description(KEY, e.keyId().value(), new Subject(KEY, e.keyId().value(), e.to(), detail).label(),
                    "Name " + e.from() + " -> " + e.to());
        });
    }

    @Bean
    EventDescriber<ApiKeyIpAllowlistChanged> apiKeyIpAllowlistChangedDescriber() {
        return describer(ApiKeyIpAllowlistChanged.class, (e, s) -> key(e.tenantId(), e.keyId(), s,
                "IP allowlist " + list(e.from()) + " -> " + list(e.to())));
    }

    @Bean
    EventDescriber<ApiKeyRotated> apiKeyRotatedDescriber() {
        return describer(ApiKeyRotated.class, (e, s) -> {
            String tenant = e.tenantId().value();
            Subject before = s.find(tenant, e.keyId().value()).orElse(new Subject(KEY, e.keyId().value(),
                    e.keyId().value(), null));
            Subject after = new Subject(KEY, e.keyId().value(), before.name(), masked(e.prefix(), e.last4()));
            s.remember(tenant, after);
            return new Description(KEY, e.keyId().value(), after.label(), "Secret rotated: "
                    + (before.detail() == null ? "?" : before.detail()) + " -> " + after.detail()
                    + "; previous secret valid until " + e.previousValidUntil());
        });
    }

    @Bean
    EventDescriber<ApiKeyRevoked> apiKeyRevokedDescriber() {
        return describer(ApiKeyRevoked.class, (e, s) -> key(e.tenantId(), e.keyId(), s,
                "Revoked (" + lower(e.reason()) + ")"));
    }

    @Bean
    EventDescriber<ApiKeyExpired> apiKeyExpiredDescriber() {
        return describer(ApiKeyExpired.class, (e, s) -> key(e.tenantId(), e.keyId(), s,
                "Expired at " + e.expiredAt()));
    }

    @Bean
    EventDescriber<ApiKeyHidden> apiKeyHiddenDescriber() {
        return describer(ApiKeyHidden.class, (e, s) -> key(e.tenantId(), e.keyId(), s, "Removed from the key list"));
    }

    @Bean
    EventDescriber<ApiKeyUsed> apiKeyUsedDescriber() {
        return describer(ApiKeyUsed.class, (e, s) -> key(e.tenantId(), e.keyId(), s, "Used " + e.count()
                + (e.count() == 1 ? " time" : " times") + statusClasses(e.counts()) + " from " + e.firstAt() + " to "
                + e.lastAt() + ", last IP " + e.lastIp() + "; total " + e.totalCount()));
    }

    /** {@code " (2xx: 3, 4xx: 1)"}, by status class. */
    static String statusClasses(Map<String, Long> counts) {
        if (counts == null || counts.isEmpty()) {
            return "";
        }
        return new TreeMap<>(counts).entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }

    @Bean
    EventDescriber<ApiKeyUsageSpiked> apiKeyUsageSpikedDescriber() {
        return describer(ApiKeyUsageSpiked.class, (e, s) -> key(e.tenantId(), e.keyId(), s, String.format(
                Locale.ROOT, "Usage spike: %.1f requests/min, %.1fx the baseline of %.1f", e.ratePerMinute(),
                e.multiple(), e.baselinePerMinute())));
    }

    @Bean
    EventDescriber<ApiKeyUsageSettled> apiKeyUsageSettledDescriber() {
        return describer(ApiKeyUsageSettled.class, (e, s) -> key(e.tenantId(), e.keyId(), s, String.format(
                Locale.ROOT, "Usage back to normal: %.1f requests/min", e.ratePerMinute())));
    }
}
