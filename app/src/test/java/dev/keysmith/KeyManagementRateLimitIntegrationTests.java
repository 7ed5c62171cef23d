package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Key creations and rotations are rate limited per workspace: 429 rate_limited with Retry-After, API and UI. */
@KeysmithIntegrationTest
@DirtiesContext
@TestPropertySource(properties = "keysmith.keys.management-per-minute=3")
class KeyManagementRateLimitIntegrationTests {

    @Autowired
    MockMvc mvc;

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

    @Test
    void theUiSaysWhenToRetryAndARefusedAttemptCostsNothing() throws Exception {
        String email = TestData.email("ui-busy");
        TenantId tenant = accounts.signUp("Busy UI", email, TestData.PASSWORD, Plan.PRO).tenantId();
        ApiKeyId id = keys.create(tenant, new ApiKeys.NewKey("Busy", "production", null, List.of(), null)).key().id();
        assertThatThrownBy(() -> keys.rotate(tenant, id, Duration.ofDays(30)))
                .as("a refused rotation gives its token back").isInstanceOf(KeysmithException.InvalidInput.class);
        keys.rotate(tenant, id, Duration.ZERO);
        keys.rotate(tenant, id, Duration.ZERO);
        MockHttpSession owner = (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("email", email)
                .param("password", TestData.PASSWORD)).andReturn().getRequest().getSession();
        mvc.perform(post("/keys/new").session(owner).with(csrf())
                        .param("name", "One too many").param("environment", "sandbox"))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().exists("Retry-After"))
                .andExpect(content().string(containsString("Too many keys created or rotated just now.")))
                .andExpect(content().string(containsString("Try again in")));
        mvc.perform(post("/keys/" + id.value() + "/rotate").session(owner).with(csrf()).param("grace", "none"))
                .andExpect(status().isTooManyRequests())
                .andExpect(content().string(containsString("Try again in")));
        assertThat(keys.list(tenant, 0, 64, true)).hasSize(1);
    }
}
