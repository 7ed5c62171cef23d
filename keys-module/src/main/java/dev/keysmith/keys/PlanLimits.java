package dev.keysmith.keys;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Map;

/**
 * The limits of each plan ({@code keysmith.plans.<plan>.*}): active keys per tenant and per environment, and
 * request-log retention in days. Defaults: Free 0/0/7, Pro 5/2/30, Enterprise 50/10/90.
 */
@ConfigurationProperties("keysmith.plans")
public record PlanLimits(Limits free, Limits pro, Limits enterprise) {

    public record Limits(int maxActiveKeys, int maxActiveKeysPerEnvironment, int logRetentionDays) {
    }

    public PlanLimits {
        free = free != null ? free : new Limits(0, 0, 7);
        pro = pro != null ? pro : new Limits(5, 2, 30);
        enterprise = enterprise != null ? enterprise : new Limits(50, 10, 90);
    }

    public static PlanLimits defaults() {
        return new PlanLimits(null, null, null);
    }

    public Limits of(Plan plan) {
        return switch (plan) {
            case FREE -> free;
            case PRO -> pro;
            case ENTERPRISE -> enterprise;
        };
    }

    public Map<Plan, Limits> all() {
        return Map.of(Plan.FREE, free, Plan.PRO, pro, Plan.ENTERPRISE, enterprise);
    }
}
