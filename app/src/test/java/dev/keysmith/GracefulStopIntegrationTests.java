package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful stop records the requests counted since the last usage flush: the last flush runs after the web server
 * stopped and before Axon unsubscribes its command handlers (at bean destruction it found no handler and the counts
 * were lost).
 */
class GracefulStopIntegrationTests {

    @Test
    void theLastUsageWindowIsRecordedWhenTheApplicationStops() {
        Path dir = Path.of("target", "it-data", "graceful-" + UUID.randomUUID()).toAbsolutePath();
        TenantId tenant;
        ApiKeyId keyId;
        try (ConfigurableApplicationContext app = BenchApp.start(dir, "--keysmith.keys.usage-flush=1h")) {
            tenant = app.getBean(Accounts.class).signUp("Graceful", TestData.email("graceful"), TestData.PASSWORD,
                    Plan.ENTERPRISE).tenantId();
            ApiKeys.IssuedKey key = app.getBean(ApiKeys.class).create(tenant, new ApiKeys.NewKey("Counted",
                    "production", null, List.of(), null));
            keyId = key.key().id();
            Api api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
            IntegrationAwait.until("the new key verifies", () -> api.get("/api/v1/whoami", key.secret()).status() == 200);
            for (int i = 0; i < 6; i++) {
                assertThat(api.get("/api/v1/whoami", key.secret()).status()).isEqualTo(200);
            }
            assertThat(app.getBean(ApiKeys.class).find(tenant, keyId).orElseThrow().usageCount())
                    .as("nothing flushed before the stop").isZero();
        }
        try (ConfigurableApplicationContext app = BenchApp.start(dir)) {
            ApiKeys keys = app.getBean(ApiKeys.class);
            // at least the 7 answered requests: a refusal of this key while it was being indexed counts as a use too
            long[] seen = {-1};
            try {
                IntegrationAwait.until("the usage recorded at the stop is projected", Duration.ofSeconds(60), () -> {
                    seen[0] = keys.find(tenant, keyId).map(key -> key.usageCount()).orElse(-1L);
                    return seen[0] >= 7;
                });
            } catch (AssertionError timedOut) {
                throw new AssertionError("usage count after the restart: " + seen[0] + " (at least 7 expected)", timedOut);
            }
        }
    }
}
