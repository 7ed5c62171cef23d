package dev.keysmith;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The foundation's journeys, in headless Chromium against the running application. */
@KeysmithIntegrationTest
class AccountsBrowserIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void signUpSignInSettingsAddMemberSignOut() {
        String owner = TestData.email("owner");
        try (Browser browser = Browser.open(port)) {
            browser.go("/signup").screenshot("signup");
            browser.type("#workspaceName", "Acme <script>alert(1)</script>")
                    .type("#email", owner)
                    .type("#password", TestData.PASSWORD)
                    .type("#confirmPassword", TestData.PASSWORD)
                    .click("#signup-submit");
            assertThat(browser.path()).isEqualTo("/keys?welcome");
            assertThat(browser.text("#nav-workspace")).isEqualTo("Acme <script>alert(1)</script>");
            assertThat(browser.text("#client-id")).matches("[0-9a-f]{24}");
            assertThat(browser.has("#upgrade-required")).isTrue();
            browser.screenshot("keys-free-plan");

            browser.click("#sign-out");
            assertThat(browser.has("#login-signed-out")).isTrue();
            browser.type("#email", owner).type("#password", "not the password").click("#login-submit");
            assertThat(browser.text("#login-error")).contains("Wrong email or password");
            browser.type("#email", owner).type("#password", TestData.PASSWORD).click("#login-submit");
            assertThat(browser.path()).isEqualTo("/keys");

            browser.click("#nav-settings");
            browser.find("#plan-pro").click();
            browser.click("#plan-submit");
            assertThat(browser.text("#flash-success")).contains("Pro plan");
            browser.type("#brand", "Globex").click("#brand-submit");
            assertThat(browser.text("#brands")).contains("Globex");
            browser.screenshot("settings");

            String auditor = TestData.email("auditor");
            browser.click("#nav-members");
            browser.type("#add-member-form #email", auditor)
                    .select("#add-member-form #role", "Auditor")
                    .type("#add-member-form #password", "initial password 1")
                    .click("#add-member-submit");
            assertThat(browser.text("#flash-success")).contains(auditor);
            assertThat(browser.text("#members-table")).contains(auditor).contains("Auditor");
            browser.screenshot("members");
            browser.click("#sign-out");
            assertThat(browser.path()).isEqualTo("/login?signedOut");
        }
    }

    @Test
    void anAuditorChangesTheInitialPasswordAndIsRefusedTheMembersPage() {
        String owner = TestData.email("owner");
        String auditor = TestData.email("auditor");
        try (Browser browser = Browser.open(port)) {
            browser.go("/signup").type("#workspaceName", "Audited").type("#email", owner)
                    .type("#password", TestData.PASSWORD).type("#confirmPassword", TestData.PASSWORD)
                    .click("#signup-submit");
            browser.go("/members").type("#add-member-form #email", auditor)
                    .select("#add-member-form #role", "Auditor")
                    .type("#add-member-form #password", "initial password 1")
                    .click("#add-member-submit");
            browser.click("#sign-out");

            browser.type("#email", auditor).type("#password", "initial password 1").click("#login-submit");
            assertThat(browser.path()).isEqualTo("/account/password");
            assertThat(browser.has("#must-change")).isTrue();
            browser.type("#currentPassword", "initial password 1").type("#newPassword", "short")
                    .type("#confirmPassword", "short").click("#password-submit");
            assertThat(browser.text("#newPassword-feedback")).contains("at least 12 characters");
            browser.type("#currentPassword", "initial password 1").type("#newPassword", TestData.PASSWORD)
                    .type("#confirmPassword", TestData.PASSWORD).click("#password-submit");
            assertThat(browser.path()).isEqualTo("/keys");
            assertThat(browser.text("#nav-role")).isEqualTo("Auditor");
            assertThat(browser.has("#nav-members")).isFalse();

            browser.go("/members");
            assertThat(browser.text("#error-title")).startsWith("403");
            browser.screenshot("auditor-refused-members");
        }
    }

    @Test
    void signUpShowsEveryProblemBesideItsField() {
        try (Browser browser = Browser.open(port)) {
            browser.go("/signup").type("#workspaceName", " ").type("#email", "nobody@nowhere")
                    .type("#password", "short").type("#confirmPassword", "short").click("#signup-submit");
            assertThat(browser.text("#workspaceName-feedback")).isEqualTo("Workspace name is required.");
            assertThat(browser.text("#email-feedback")).contains("is not a valid email address");
            assertThat(browser.text("#password-feedback")).contains("at least 12 characters");
            assertThat(browser.find("#password").getAttribute("value")).isEmpty();
            browser.screenshot("signup-errors");
        }
    }
}
