package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Sign-up, sign-in, members, roles and settings through the real web layer and stores. */
@KeysmithIntegrationTest
class AccountsWebIntegrationTests {

    @Autowired
    MockMvc mvc;
    @Autowired
    Accounts accounts;
    @Autowired
    TenantDirectory directory;

    @Test
    void signUpCreatesAFreeWorkspaceAndSignsTheOwnerIn() throws Exception {
        String email = TestData.email("owner");
        MockHttpSession session = new MockHttpSession();
        mvc.perform(post("/signup").session(session).with(csrf())
                        .param("workspaceName", "Acme").param("email", email.toUpperCase())
                        .param("password", TestData.PASSWORD).param("confirmPassword", TestData.PASSWORD))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/keys?welcome"));

        var credentials = accounts.credentials(email).orElseThrow();
        TenantView tenant = directory.tenant(credentials.tenantId()).orElseThrow();
        assertThat(tenant.plan()).isEqualTo(Plan.FREE);
        assertThat(tenant.clientId()).matches("[0-9a-f]{24}");
        assertThat(tenant.teamNumber()).isGreaterThan(1000);

        mvc.perform(get("/keys").session(session))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(tenant.clientId())))
                .andExpect(content().string(containsString("Upgrade required")));
    }

    @Test
    void signUpRefusesBadInputBesideEachFieldAndStoresNothing() throws Exception {
        String email = TestData.email("weak");
        mvc.perform(post("/signup").with(csrf())
                        .param("workspaceName", "x".repeat(81)).param("email", email)
                        .param("password", "short").param("confirmPassword", "short"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("at most 80 are allowed")))
                .andExpect(content().string(containsString("at least 12 characters long")));
        mvc.perform(post("/signup").with(csrf())
                        .param("workspaceName", "Acme").param("email", "not-an-email")
                        .param("password", TestData.PASSWORD).param("confirmPassword", TestData.PASSWORD))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("is not a valid email address")));
        mvc.perform(post("/signup").with(csrf())
                        .param("workspaceName", "Acme").param("email", email)
                        .param("password", TestData.PASSWORD).param("confirmPassword", TestData.PASSWORD + "!"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("The two passwords do not match.")))
                .andExpect(content().string(not(containsString(TestData.PASSWORD))));
        assertThat(accounts.credentials(email)).isEmpty();
    }

    @Test
    void aDuplicateOwnerEmailIsRefused() throws Exception {
        String email = TestData.email("dup");
        accounts.signUp("First", email, TestData.PASSWORD, Plan.FREE);
        mvc.perform(post("/signup").with(csrf())
                        .param("workspaceName", "Second").param("email", email)
                        .param("password", TestData.PASSWORD).param("confirmPassword", TestData.PASSWORD))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("already exists")));
    }

    @Test
    void aSignUpWithoutAPlanIsRefusedAndLeavesTheEmailFree() {
        String email = TestData.email("noplan");
        assertThatThrownBy(() -> accounts.signUp("No plan", email, TestData.PASSWORD, null))
                .isInstanceOfSatisfying(KeysmithException.InvalidInput.class,
                        refusal -> assertThat(refusal.field()).isEqualTo("plan"));
        assertThat(accounts.credentials(email)).isEmpty();
        assertThat(accounts.signUp("With plan", email, TestData.PASSWORD, Plan.FREE).tenantId()).isNotNull();
    }

    @Test
    void aForgedCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/signup").param("_csrf", "forged")
                        .param("workspaceName", "Acme").param("email", TestData.email("csrf"))
                        .param("password", TestData.PASSWORD).param("confirmPassword", TestData.PASSWORD))
                .andExpect(status().isForbidden());
    }

    @Test
    void wrongPasswordsAreThrottledAfterFiveFailures() throws Exception {
        String email = TestData.email("throttle");
        accounts.signUp("Throttled", email, TestData.PASSWORD, Plan.FREE);
        for (int i = 0; i < 5; i++) {
            mvc.perform(post("/login").with(csrf()).param("email", email).param("password", "wrong password " + i))
                    .andExpect(redirectedUrl("/login?error"));
        }
        MockHttpSession session = new MockHttpSession();
        MvcResult throttled = mvc.perform(post("/login").session(session).with(csrf()).param("email", email)
                        .param("password", TestData.PASSWORD))
                .andReturn();
        assertThat(throttled.getResponse().getRedirectedUrl()).startsWith("/login?throttled=");
        // the right password did not sign in: the session is still anonymous (the window's end: LoginThrottleTests)
        mvc.perform(get("/keys").session(session)).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("http://localhost/login"));
    }

    @Test
    void rolesAreEnforcedOnTheServer() throws Exception {
        String owner = TestData.email("owner");
        Accounts.SignUp tenant = accounts.signUp("Roles", owner, TestData.PASSWORD, Plan.PRO);
        String auditorEmail = TestData.email("auditor");
        accounts.addMember(tenant.tenantId(), auditorEmail, Role.AUDITOR, "initial password 1");

        MockHttpSession auditor = signIn(auditorEmail, "initial password 1");
        mvc.perform(get("/keys").session(auditor)).andExpect(redirectedUrl("/account/password"));
        mvc.perform(post("/account/password").session(auditor).with(csrf())
                        .param("currentPassword", "initial password 1")
                        .param("newPassword", TestData.PASSWORD).param("confirmPassword", TestData.PASSWORD))
                .andExpect(redirectedUrl("/keys"));
        mvc.perform(get("/keys").session(auditor)).andExpect(status().isOk());
        mvc.perform(get("/members").session(auditor)).andExpect(status().isForbidden());
        mvc.perform(get("/settings").session(auditor)).andExpect(status().isForbidden());
        mvc.perform(post("/settings/plan").session(auditor).with(csrf()).param("plan", "ENTERPRISE"))
                .andExpect(status().isForbidden());
        assertThat(directory.tenant(tenant.tenantId()).orElseThrow().plan()).isEqualTo(Plan.PRO);
    }

    @Test
    void anotherTenantsMemberIdAnswers404AndChangesNothing() throws Exception {
        Accounts.SignUp mine = accounts.signUp("Mine", TestData.email("mine"), TestData.PASSWORD, Plan.PRO);
        Accounts.SignUp theirs = accounts.signUp("Theirs", TestData.email("theirs"), TestData.PASSWORD, Plan.PRO);
        MemberId theirMember = accounts.addMember(theirs.tenantId(), TestData.email("victim"), Role.ADMIN,
                "initial password 1");
        MockHttpSession owner = signIn(accounts.credentials(mine.ownerId()).orElseThrow().email(), TestData.PASSWORD);

        mvc.perform(post("/members/" + theirMember.value() + "/remove").session(owner).with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(post("/members/" + theirMember.value() + "/role").session(owner).with(csrf())
                        .param("role", "OWNER"))
                .andExpect(status().isNotFound());
        assertThat(directory.member(theirs.tenantId(), theirMember)).hasValueSatisfying(
                member -> assertThat(member.role()).isEqualTo(Role.ADMIN));
    }

    @Test
    void theLastOwnerCannotBeRemovedOrDemoted() throws Exception {
        String ownerEmail = TestData.email("solo");
        Accounts.SignUp tenant = accounts.signUp("Solo", ownerEmail, TestData.PASSWORD, Plan.PRO);
        MockHttpSession owner = signIn(ownerEmail, TestData.PASSWORD);
        mvc.perform(post("/members/" + tenant.ownerId().value() + "/role").session(owner).with(csrf())
                        .param("role", "DEVELOPER"))
                .andExpect(redirectedUrl("/members"));
        mvc.perform(get("/members").session(owner))
                .andExpect(content().string(containsString("only owner")));
        assertThat(directory.member(tenant.tenantId(), tenant.ownerId()).orElseThrow().role()).isEqualTo(Role.OWNER);
    }

    @Test
    void aRemovedMemberIsSignedOutAtOnce() throws Exception {
        Accounts.SignUp tenant = accounts.signUp("Removal", TestData.email("owner"), TestData.PASSWORD, Plan.PRO);
        String devEmail = TestData.email("dev");
        MemberId dev = accounts.addMember(tenant.tenantId(), devEmail, Role.DEVELOPER, "initial password 1");
        MockHttpSession session = signIn(devEmail, "initial password 1");
        accounts.removeMember(tenant.tenantId(), dev);
        mvc.perform(get("/keys").session(session)).andExpect(redirectedUrl("/login?removed"));
        assertThat(accounts.credentials(devEmail)).isEmpty();
    }

    @Test
    void settingsSwitchThePlanAndManageBrands() throws Exception {
        String ownerEmail = TestData.email("settings");
        Accounts.SignUp tenant = accounts.signUp("Settings", ownerEmail, TestData.PASSWORD, Plan.FREE);
        MockHttpSession owner = signIn(ownerEmail, TestData.PASSWORD);
        mvc.perform(post("/settings/plan").session(owner).with(csrf()).param("plan", "pro"))
                .andExpect(redirectedUrl("/settings"));
        mvc.perform(post("/settings/brands").session(owner).with(csrf()).param("brand", "Globex"))
                .andExpect(redirectedUrl("/settings"));
        mvc.perform(post("/settings/brands").session(owner).with(csrf()).param("brand", "globex"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("already exists")));
        mvc.perform(post("/settings/plan").session(owner).with(csrf()).param("plan", "platinum"))
                .andExpect(redirectedUrl("/settings"));
        TenantView view = directory.tenant(tenant.tenantId()).orElseThrow();
        assertThat(view.plan()).isEqualTo(Plan.PRO);
        assertThat(view.brands()).containsExactly("Globex");
        mvc.perform(get("/keys").session(owner))
                .andExpect(content().string(not(containsString("Upgrade required"))));
    }

    private MockHttpSession signIn(String email, String password) throws Exception {
        return SignedIn.session(mvc, email, password);
    }
}
