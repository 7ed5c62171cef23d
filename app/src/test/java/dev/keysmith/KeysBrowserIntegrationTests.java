package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The key management journeys in headless Chromium against the running application. */
@KeysmithIntegrationTest
class KeysBrowserIntegrationTests {

    private static final String LIVE_SECRET = "ks_live_[0-9A-Za-z]{38}";

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys apiKeys;

    @Test
    void createCopyRotateRevokeAndRemoveFromTheList() {
        String owner = TestData.email("owner");
        Accounts.SignUp tenant = accounts.signUp("Acme", owner, TestData.PASSWORD, Plan.PRO);
        accounts.addBrand(tenant.tenantId(), "Globex");
        apiKeys.create(tenant.tenantId(), new ApiKeys.NewKey("Nightly export", "development",
                Instant.now().plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.DAYS), List.of(), null));
        apiKeys.create(tenant.tenantId(), new ApiKeys.NewKey("Partner integration for the Globex EU warehouse sync",
                "sandbox", null, List.of("198.51.100.0/24"), "Globex"));
        try (Browser browser = Browser.open(port)) {
            signIn(browser, owner);
            assertThat(browser.has("#client-id")).isTrue();
            assertThat(browser.text("#empty-production")).isEqualTo("No Production keys.");

            // Create: the secret is shown once, in a card with a Copy button.
            browser.click("#new-key");
            browser.type("#name", "Billing service")
                    .type("#ips", "203.0.113.7\n10.0.0.0/8");
            new Select(browser.find("#environment")).selectByValue("production");
            browser.select("#brand", "Globex");
            browser.click("#create-key-submit");
            assertThat(browser.text("#secret-warning"))
                    .isEqualTo("This is the only time the secret is shown: store it now.");
            String secret = browser.text("#secret");
            assertThat(secret).matches(LIVE_SECRET);
            browser.press(browser.find("#copy-secret"));
            new WebDriverWait(browser.driver(), Duration.ofSeconds(5))
                    .until(driver -> !driver.findElement(By.id("copy-status")).getText().isBlank());
            assertThat(browser.text("#copy-status")).containsAnyOf("Copied", "press Ctrl+C");
            assertThat(browser.path()).as("a reload shows the key's page, not the secret again")
                    .startsWith("/keys/key_");
            browser.screenshot("key-created");

            // The table shows it masked, with its last four characters.
            browser.click("#done");
            assertThat(browser.path()).isEqualTo("/keys");
            WebElement row = browser.find("#keys-production .key-row");
            String masked = row.findElement(By.cssSelector(".key-masked")).getText();
            assertThat(masked).startsWith(secret.substring(0, 12)).endsWith(secret.substring(secret.length() - 4))
                    .contains("••••");
            assertThat(row.findElement(By.cssSelector(".key-brand")).getText()).isEqualTo("Globex");
            assertThat(row.findElement(By.cssSelector(".key-last-used")).getText()).isEqualTo("never");
            assertThat(row.findElement(By.cssSelector(".key-expires")).getText()).isEqualTo("never");
            assertThat(row.findElement(By.cssSelector(".key-status")).getText()).isEqualTo("Active");
            assertThat(browser.driver().getPageSource()).doesNotContain(secret);
            browser.screenshot("keys-table");

            // Rotate with a grace period: a new secret, once; the table says rotated.
            browser.click(row.findElement(By.cssSelector(".key-manage")));
            new Select(browser.find("#grace")).selectByValue("1h");
            browser.clickAndConfirm(browser.find("#rotate-key-submit"));
            String rotated = browser.text("#secret");
            assertThat(rotated).matches(LIVE_SECRET).isNotEqualTo(secret);
            assertThat(browser.text("#secret-previous")).startsWith("keeps working until");
            browser.press(browser.find("#done"));
            var leave = new WebDriverWait(browser.driver(), Duration.ofSeconds(5))
                    .until(ExpectedConditions.alertIsPresent());
            assertThat(leave.getText()).contains("Did you store the secret?");
            leave.dismiss();
            assertThat(browser.text("#secret")).as("staying on the page keeps the secret").isEqualTo(rotated);
            browser.clickAndConfirm(browser.find("#done"));
            row = browser.find("#keys-production .key-row");
            assertThat(row.findElement(By.cssSelector(".key-status")).getText()).isEqualTo("Rotating");
            assertThat(row.findElement(By.cssSelector(".key-rotated")).getText()).startsWith("Rotated ");
            assertThat(row.findElement(By.cssSelector(".key-masked")).getText())
                    .endsWith(rotated.substring(rotated.length() - 4));
            browser.click("#keys-production .key-name");
            assertThat(browser.text("#key-rotated")).startsWith("Rotated on").contains("previous secret works until");
            assertThat(browser.text("#key-previous-valid")).contains("the previous secret works until");
            browser.screenshot("key-page");
            browser.reveal(browser.find("#revoke-key-form"));
            browser.screenshot("key-page-actions");

            // Revoke (confirmed): marked Revoked, still listed; then removed from the list.
            new Select(browser.find("#reason")).selectByValue("leaked");
            browser.clickAndConfirm(browser.find("#revoke-key-submit"));
            assertThat(browser.text("#key-status")).isEqualTo("Revoked");
            assertThat(browser.text("#key-revoked")).contains("Leaked");
            assertThat(browser.has("#key-previous-valid")).as("revoking stops the previous secret too").isFalse();
            assertThat(browser.text("#key-rotated")).doesNotContain("previous secret works");
            assertThat(browser.text("#flash-success")).startsWith("Key revoked");
            browser.screenshot("key-page-revoked");
            browser.click("#back-to-keys");
            row = browser.find("#keys-production .key-row");
            assertThat(row.findElement(By.cssSelector(".key-status")).getText()).isEqualTo("Revoked");
            assertThat(row.getAttribute("class")).contains("key-inactive");
            browser.screenshot("keys-table-revoked");
            browser.clickAndConfirm(row.findElement(By.cssSelector(".key-hide")));
            assertThat(browser.text("#flash-success")).startsWith("Removed the key from the list");
            assertThat(browser.has("#keys-production")).isFalse();
            assertThat(browser.text("#empty-production")).isEqualTo("No Production keys.");
            browser.click("#show-removed");
            row = browser.find("#keys-production .key-row");
            assertThat(row.findElement(By.cssSelector(".key-name")).getText()).isEqualTo("Billing service");
            assertThat(row.findElement(By.cssSelector(".key-hidden")).getText()).isEqualTo("Removed from list");
            browser.click("#hide-removed");
            assertThat(browser.has("#keys-production")).isFalse();
        }
    }

    @Test
    void editTheNameAndTheIpAllowlist() {
        String owner = TestData.email("owner");
        Accounts.SignUp tenant = accounts.signUp("Edits", owner, TestData.PASSWORD, Plan.PRO);
        ApiKeyView key = apiKeys.create(tenant.tenantId(),
                new ApiKeys.NewKey("Billing", "sandbox", null, List.of(), null)).key();
        try (Browser browser = Browser.open(port)) {
            signIn(browser, owner);
            browser.click("#keys-sandbox .key-name");
            assertThat(browser.text("#key-ips")).isEqualTo("Any address");

            browser.type("#name", "Billing service v2").type("#ips", "10.0.0.0/33").click("#edit-key-submit");
            assertThat(browser.text("#ips-feedback")).contains("Not an IP address or CIDR range: 10.0.0.0/33");
            assertThat(browser.find("#name").getAttribute("value")).isEqualTo("Billing service v2");

            browser.type("#ips", "192.0.2.7, 10.1.2.3/16\n2001:db8::/32").click("#edit-key-submit");
            assertThat(browser.text("#flash-success")).isEqualTo("Saved the name and IP allowlist.");
            assertThat(browser.text("#key-name")).isEqualTo("Billing service v2");
            assertThat(browser.text("#key-ips")).contains("192.0.2.7").contains("10.1.0.0/16").contains("2001:db8::/32");
            assertThat(browser.find("#ips").getAttribute("value")).isEqualTo("192.0.2.7\n10.1.0.0/16\n2001:db8::/32");
            browser.screenshot("key-edited");
        }
        assertThat(apiKeys.find(tenant.tenantId(), key.id()).orElseThrow().name()).isEqualTo("Billing service v2");
    }

    @Test
    void aNewKeyFormShowsEveryProblemBesideItsField() {
        String owner = TestData.email("owner");
        accounts.signUp("Form", owner, TestData.PASSWORD, Plan.PRO);
        try (Browser browser = Browser.open(port)) {
            signIn(browser, owner);
            browser.click("#new-key");
            browser.type("#name", "Jane Doe").type("#ips", "10.0.0.0/33").click("#create-key-submit");
            assertThat(browser.text("#ips-feedback")).contains("10.0.0.0/33");
            assertThat(browser.text("#name-hint")).contains("looks like a person's name");
            assertThat(browser.find("#name").getAttribute("value")).isEqualTo("Jane Doe");
            browser.screenshot("key-new-errors");
        }
    }

    @Test
    void aDeveloperSeesTheTableWithoutActions() {
        String owner = TestData.email("owner");
        Accounts.SignUp tenant = accounts.signUp("Readers", owner, TestData.PASSWORD, Plan.PRO);
        ApiKeyView key = apiKeys.create(tenant.tenantId(),
                new ApiKeys.NewKey("Payments", "production", null, List.of("192.0.2.0/24"), null)).key();
        String developer = TestData.email("dev");
        MemberId member = accounts.addMember(tenant.tenantId(), developer, Role.DEVELOPER, "initial password 1");
        accounts.changePassword(tenant.tenantId(), member, "initial password 1", TestData.PASSWORD);
        try (Browser browser = Browser.open(port)) {
            signIn(browser, developer);
            assertThat(browser.text("#nav-role")).isEqualTo("Developer");
            assertThat(browser.text("#keys-production")).contains("Payments").contains(key.masked());
            assertThat(browser.has("#new-key")).isFalse();
            assertThat(browser.text("#read-only-note")).contains("Developer");
            assertThat(browser.has(".key-manage")).isFalse();
            assertThat(browser.has(".key-hide")).isFalse();
            browser.screenshot("keys-table-developer");

            browser.click("#keys-production .key-name");
            assertThat(browser.text("#key-name")).isEqualTo("Payments");
            assertThat(browser.text("#key-ips")).contains("192.0.2.0/24");
            assertThat(browser.has("#edit-key-form")).isFalse();
            assertThat(browser.has("#rotate-key-form")).isFalse();
            assertThat(browser.has("#revoke-key-form")).isFalse();
            assertThat(browser.text("#read-only-note")).contains("Developer");

            browser.go("/keys/new");
            assertThat(browser.text("#error-title")).startsWith("403");
        }
    }

    private static void signIn(Browser browser, String email) {
        browser.go("/login").type("#email", email).type("#password", TestData.PASSWORD).click("#login-submit");
        assertThat(browser.path()).isEqualTo("/keys");
    }
}
