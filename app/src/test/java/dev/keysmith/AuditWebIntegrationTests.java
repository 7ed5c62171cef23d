package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Projections;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.Webhooks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The Audit tab through the real web layer: who may see it, filters, verification, time travel, replay, errors. */
@KeysmithIntegrationTest
class AuditWebIntegrationTests {

    @Autowired
    MockMvc mvc;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys apiKeys;
    @Autowired
    Projections projections;
    @Autowired
    Webhooks webhooks;

    record Workspace(TenantId tenantId, MockHttpSession owner) {
    }

    private Workspace workspace() throws Exception {
        String email = TestData.email("audit-owner");
        Accounts.SignUp signUp = accounts.signUp("Audit UI", email, TestData.PASSWORD, Plan.PRO);
        return new Workspace(signUp.tenantId(), signIn(email));
    }

    private MockHttpSession member(Workspace ws, Role role) throws Exception {
        String email = TestData.email(role.name().toLowerCase());
        MemberId member = accounts.addMember(ws.tenantId(), email, role, "initial password 1");
        accounts.changePassword(ws.tenantId(), member, "initial password 1", TestData.PASSWORD);
        return signIn(email);
    }

    private MockHttpSession signIn(String email) throws Exception {
        MvcResult result = mvc.perform(post("/login").with(csrf()).param("email", email)
                        .param("password", TestData.PASSWORD))
                .andExpect(redirectedUrl("/"))
                .andReturn();
        return (MockHttpSession) result.getRequest().getSession();
    }

    @Test
    void ownersAndAuditorsSeeTheTrailOthersDoNot() throws Exception {
        Workspace ws = workspace();
        apiKeys.create(ws.tenantId(), new ApiKeys.NewKey("Payments <script>", "production", null, List.of(), null));
        webhooks.create(ws.tenantId(), new Webhooks.EndpointSpec("Hooks <script>", "https://93.184.216.34/hooks",
                "production", List.of("key.revoked")));
        MockHttpSession auditor = member(ws, Role.AUDITOR);
        projections.awaitCurrent();

        for (MockHttpSession session : List.of(ws.owner(), auditor)) {
            mvc.perform(get("/audit").session(session))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("id=\"nav-audit\"")))
                    .andExpect(content().string(containsString("Payments &lt;script&gt;")))
                    .andExpect(content().string(not(containsString("Payments <script>"))))
                    .andExpect(content().string(containsString("id=\"head-hash\"")));
            mvc.perform(get("/audit/verify").session(session))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("id=\"chain-intact\"")));
            mvc.perform(get("/audit/keys").session(session))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("Payments &lt;script&gt;")))
                    .andExpect(content().string(containsString("id=\"endpoints-at\"")))
                    .andExpect(content().string(containsString("Hooks &lt;script&gt;")))
                    .andExpect(content().string(not(containsString("<script>"))));
            mvc.perform(get("/audit/export").param("format", "csv").session(session))
                    .andExpect(status().isOk());
        }
        for (Role role : List.of(Role.ADMIN, Role.DEVELOPER)) {
            MockHttpSession other = member(ws, role);
            mvc.perform(get("/audit").session(other)).andExpect(status().isForbidden());
            mvc.perform(get("/audit/export").session(other)).andExpect(status().isForbidden());
            mvc.perform(get("/keys").session(other))
                    .andExpect(content().string(not(containsString("id=\"nav-audit\""))));
        }
        // replay is for owners only: auditors can neither see nor start it
        mvc.perform(get("/audit/replay").session(auditor)).andExpect(status().isForbidden());
        mvc.perform(get("/audit/replay/status").session(auditor)).andExpect(status().isForbidden());
        mvc.perform(post("/audit/replay/key-table").session(auditor).with(csrf())).andExpect(status().isForbidden());
        mvc.perform(get("/audit").session(auditor))
                .andExpect(content().string(not(containsString("id=\"tab-replay\""))));
    }

    @Test
    void anOwnerWhoIsNotAnOperatorCannotReplayForReplaysRebuildEveryWorkspace() throws Exception {
        Workspace ws = workspace();
        String page = mvc.perform(get("/audit/replay").session(ws.owner()))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"replay-operators-only\"").contains("KEYSMITH_REPLAY_OPERATORS")
                .doesNotContain("id=\"replay-key-table\"").doesNotContain("id=\"replay-table\"");
        mvc.perform(get("/audit/replay/status").session(ws.owner())).andExpect(status().isForbidden());
        mvc.perform(post("/audit/replay/key-table").session(ws.owner()).with(csrf()))
                .andExpect(status().isForbidden());
    }

    @Test
    void theOperatorsReplayPageListsProjectionsAndExcludesTheKeyIndex() throws Exception {
        accounts.signUp("Operations", KeysmithIntegrationTest.REPLAY_OPERATOR, TestData.PASSWORD, Plan.PRO);
        MockHttpSession operator = signIn(KeysmithIntegrationTest.REPLAY_OPERATOR);
        String page = mvc.perform(get("/audit/replay").session(operator))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"replay-key-table\"").contains("id=\"replay-audit-trail\"")
                .contains("id=\"replay-tenant-directory\"").doesNotContain("id=\"replay-key-index\"")
                .doesNotContain("id=\"replay-operators-only\"")
                .contains("/js/audit-replay.js").doesNotContain("<script>");
        String status = mvc.perform(get("/audit/replay/status").session(operator))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(status).contains("\"name\":\"key-index\",\"replayable\":false");
        // starting without a CSRF token is refused; an excluded processor is refused with a message
        mvc.perform(post("/audit/replay/key-table").session(operator)).andExpect(status().isForbidden());
        mvc.perform(post("/audit/replay/key-index").session(operator).with(csrf()))
                .andExpect(redirectedUrl("/audit/replay"))
                .andExpect(result -> assertThat(String.valueOf(result.getFlashMap().get("flashError")))
                        .contains("never replayed"));
    }

    @Test
    void badInstantsShowAMessageBesideTheField() throws Exception {
        Workspace ws = workspace();
        String trail = mvc.perform(get("/audit").param("from", "not a date").session(ws.owner()))
                .andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(trail, "from")).contains("from must be an ISO-8601 instant");
        String keys = mvc.perform(get("/audit/keys").param("at", "2026-02-30T10:00").session(ws.owner()))
                .andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(keys, "at")).contains("at must be an ISO-8601 instant");
        String diff = mvc.perform(get("/audit/keys").param("from", "2030-01-02T00:00").param("to", "2030-01-01T00:00")
                        .session(ws.owner()))
                .andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(diff, "to")).contains("to must be later than from");
    }

    private static String feedback(String html, String field) {
        Matcher matcher = Pattern.compile("id=\"" + Pattern.quote(field) + "-feedback\"[^>]*>([^<]*)<").matcher(html);
        assertThat(matcher.find()).as("a message beside " + field).isTrue();
        return org.springframework.web.util.HtmlUtils.htmlUnescape(matcher.group(1)).strip();
    }
}
