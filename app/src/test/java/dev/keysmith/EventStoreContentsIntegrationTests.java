package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.MemberId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** What the event store holds: who did each change and from where, and never a password or its hash. */
@KeysmithIntegrationTest
class EventStoreContentsIntegrationTests {

    @Autowired
    MockMvc mvc;
    @Autowired
    Accounts accounts;
    @Autowired
    JdbcTemplate jdbc;
    final ObjectMapper json = new ObjectMapper();

    record StoredEvent(String type, JsonNode payload, JsonNode metadata) {
    }

    @Test
    void everyEventCarriesTheActorTheTenantAndTheRequestItCameFrom() throws Exception {
        String email = TestData.email("meta");
        MockHttpSession session = new MockHttpSession();
        mvc.perform(post("/signup").session(session).with(csrf()).header("User-Agent", "MetaTest/1.0")
                        .header("X-Request-Id", "req-signup-0001")
                        .param("workspaceName", "Meta").param("email", email)
                        .param("password", TestData.PASSWORD).param("confirmPassword", TestData.PASSWORD))
                .andExpect(status().is3xxRedirection());
        var owner = accounts.credentials(email).orElseThrow();
        mvc.perform(post("/settings/brands").session(session).with(csrf()).header("User-Agent", "MetaTest/2.0")
                        .param("brand", "Initech"))
                .andExpect(status().is3xxRedirection());

        List<StoredEvent> events = events(owner.tenantId().value());
        assertThat(events).extracting(StoredEvent::type)
                .containsExactly("dev.keysmith.keys.events.TenantRegistered", "dev.keysmith.keys.events.BrandAdded");
        JsonNode registered = events.get(0).metadata();
        assertThat(registered.get("tenantId").asText()).isEqualTo(owner.tenantId().value());
        assertThat(registered.get("actorType").asText()).isEqualTo("visitor");
        assertThat(registered.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(registered.get("userAgent").asText()).isEqualTo("MetaTest/1.0");
        assertThat(registered.get("correlationId").asText()).isEqualTo("req-signup-0001");
        JsonNode brand = events.get(1).metadata();
        assertThat(brand.get("actor").asText()).isEqualTo(owner.memberId().value());
        assertThat(brand.get("actorType").asText()).isEqualTo("member");
        assertThat(brand.get("userAgent").asText()).isEqualTo("MetaTest/2.0");
        assertThat(brand.get("correlationId").asText()).isNotBlank().isNotEqualTo("req-signup-0001");
    }

    @Test
    void noPasswordOrPasswordHashEverEntersTheEventStore() {
        String email = TestData.email("secret");
        Accounts.SignUp tenant = accounts.signUp("Secrets", email, TestData.PASSWORD, dev.keysmith.keys.Plan.PRO);
        MemberId member = accounts.addMember(tenant.tenantId(), TestData.email("member"),
                dev.keysmith.keys.Role.ADMIN, "initial password 1");
        accounts.changePassword(tenant.tenantId(), member, "initial password 1", "a brand new passphrase");
        String hash = accounts.credentials(email).orElseThrow().passwordHash();

        List<String> everything = jdbc.query("select payload, metadata from domainevententry",
                (rs, row) -> new String(rs.getBytes(1), StandardCharsets.UTF_8) + new String(rs.getBytes(2),
                        StandardCharsets.UTF_8));
        assertThat(everything).isNotEmpty().noneSatisfy(text -> assertThat(text)
                .containsAnyOf(TestData.PASSWORD, "initial password 1", "a brand new passphrase", hash, "$2a$"));
        assertThat(events(tenant.tenantId().value())).extracting(StoredEvent::type)
                .contains("dev.keysmith.keys.events.MemberPasswordChanged");
    }

    @Test
    void healthReportsBothStoresAndTheKeyIndexWithoutDetails() throws Exception {
        mvc.perform(get("/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status", is("UP")))
                .andExpect(jsonPath("$.components.db.status", is("UP")))
                .andExpect(jsonPath("$.components.mongo.status", is("UP")))
                .andExpect(jsonPath("$.components.keyIndex.status", is("UP")))
                .andExpect(jsonPath("$.components.db.details").doesNotExist())
                .andExpect(jsonPath("$.components.requestLog.details").doesNotExist());
        mvc.perform(get("/actuator/health/readiness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status", is("UP")))
                .andExpect(jsonPath("$.components.db.status", is("UP")))
                .andExpect(jsonPath("$.components.keyIndex.status", is("UP")))
                .andExpect(jsonPath("$.components.mongo").doesNotExist());
    }

    private List<StoredEvent> events(String aggregateId) {
        return jdbc.query("select payloadtype, payload, metadata from domainevententry where aggregateidentifier = ? "
                        + "order by sequencenumber", (rs, row) -> {
            try {
                return new StoredEvent(rs.getString(1), json.readTree(rs.getBytes(2)), json.readTree(rs.getBytes(3)));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, aggregateId);
    }
}
