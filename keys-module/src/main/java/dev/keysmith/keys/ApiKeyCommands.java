package dev.keysmith.keys;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The commands of the ApiKey aggregate; callers go through {@link ApiKeys}, which makes the secrets. */
public final class ApiKeyCommands {

    private ApiKeyCommands() {
    }

    /** {@code plan}: the tenant's plan as the sender read it, whose limits the key's slot is checked against. */
    public record CreateApiKey(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId, String name,
                               Environment environment, String brand, List<String> ips, Instant expires,
                               String hash, String prefix, String last4, boolean temporary, Plan plan)
            implements TenantCommand {
    }

    public record RenameApiKey(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId, String name)
            implements TenantCommand {
    }

    public record ChangeApiKeyIpAllowlist(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId,
                                          List<String> ips) implements TenantCommand {
    }

    /** The aggregate issues the new secret, of the key's own environment, and answers with it. */
    public record RotateApiKey(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId, Duration gracePeriod)
            implements TenantCommand {
    }

    public record RevokeApiKey(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId, RevocationReason reason)
            implements TenantCommand {
    }

    public record ExpireApiKey(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId) implements TenantCommand {
    }

    /** Usage counted on one node during one flush interval (see {@code ApiKeyUsed}). */
    public record RecordApiKeyUsage(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId,
                                    java.util.Map<String, Long> counts, Instant firstAt, Instant lastAt, String lastIp,
                                    List<String> ips) implements TenantCommand {
    }

    /** A usage spike detected on this node; the aggregate records it once per episode. */
    public record RecordApiKeyUsageSpike(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId,
                                         Instant detectedAt, double ratePerMinute, double baselinePerMinute,
                                         double multiple) implements TenantCommand {
    }

    /** The key's rate fell back under the spike threshold; ends the episode (nothing happens outside one). */
    public record SettleApiKeyUsage(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId, Instant settledAt,
                                    double ratePerMinute) implements TenantCommand {
    }

    public record HideApiKey(@TargetAggregateIdentifier ApiKeyId keyId, TenantId tenantId) implements TenantCommand {
    }
}
