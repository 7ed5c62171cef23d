package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Key creations and rotations are rate limited per workspace: 429 rate_limited with Retry-After. */
@KeysmithIntegrationTest
@TestPropertySource(properties = "keysmith.keys.management-per-minute=3")
class KeyManagementRateLimitIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;

    @Test
    void theFourthCreateInAMinuteIsRefusedWithRetryAfterAndOtherTenantsAreUnaffected() {
        TenantId tenant = accounts.signUp("Busy", TestData.email("busy"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        String key = keys.create(tenant, new ApiKeys.NewKey("Admin", "production", null, List.of(), null)).secret();
        Api api = new Api(port);
        for (int i = 0; i < 2; i++) {
            assertThat(api.post("/api/v1/keys", key, Map.of("name", "K" + i, "environment", "sandbox")).status())
                    .isEqualTo(201);
        }
        Api.Response limited = api.post("/api/v1/keys", key, Map.of("name", "K3", "environment", "sandbox"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("rate_limited");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        assertThat(limited.json().get("retryAfterSeconds").asInt()).isBetween(1, 60);
        assertThat(limited.json().get("detail").asText()).contains("3 per minute");

        TenantId calm = accounts.signUp("Calm", TestData.email("calm"), TestData.PASSWORD, Plan.PRO).tenantId();
        assertThat(keys.create(calm, new ApiKeys.NewKey("Fine", "production", null, List.of(), null)).secret())
                .startsWith("ks_live_");
    }
}
