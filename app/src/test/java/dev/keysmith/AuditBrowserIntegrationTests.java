package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Projections;
import dev.keysmith.webhooks.Webhooks;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Audit tab in headless Chromium, as an Owner: the trail with a created key's event, the event-type filter,
 * Verify (intact, the same head), and time travel to an instant before the key and the endpoint changed.
 */
@KeysmithIntegrationTest
class AuditBrowserIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys apiKeys;
    @Autowired
    Webhooks webhooks;
    @Autowired
    Projections projections;

    /** The next whole second (what a date-time picker can name), once it has passed. */
    static Instant nextWholeSecondPassed() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // only a guard against a clock that stands still
        while (!Instant.now().isAfter(at)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
        return at;
    }

    @Test
    void anOwnerReadsFiltersVerifiesAndTravelsInTime() {
        String owner = TestData.email("audit-browser");
        Accounts.SignUp tenant = accounts.signUp("Audit browser", owner, TestData.PASSWORD, Plan.PRO);
        ApiKeys.IssuedKey key = apiKeys.create(tenant.tenantId(), new ApiKeys.NewKey("Billing service", "production",
                null, List.of(), null));
        Webhooks.IssuedSecret endpoint = webhooks.create(tenant.tenantId(), new Webhooks.EndpointSpec("Orders",
                "https://93.184.216.34/hooks", "production", List.of("key.revoked")));
        Instant at = nextWholeSecondPassed();
        apiKeys.update(tenant.tenantId(), key.key().id(), "Billing v2", null);
        webhooks.update(tenant.tenantId(), endpoint.endpoint().id(), new Webhooks.EndpointSpec("Orders v2", null,
                null, null));
        webhooks.disable(tenant.tenantId(), endpoint.endpoint().id());
        Instant afterChanges = nextWholeSecondPassed();
        projections.awaitCurrent();

        try (Browser browser = Browser.open(port)) {
            browser.signIn(owner).click("#nav-audit");
            assertThat(browser.path()).isEqualTo("/audit");
            List<String> types = browser.driver().findElements(By.cssSelector("#audit-records tbody tr[data-position] code"))
                    .stream().map(WebElement::getText).toList();
            assertThat(types).contains("TenantRegistered", "ApiKeyCreated", "WebhookEndpointCreated",
                    "WebhookEndpointDisabled");
            assertThat(browser.text("#audit-records")).contains("Billing service");
            String headPosition = browser.text("#head-position");
            String headHash = browser.text("#head-hash");
            assertThat(headHash).matches("[0-9a-f]{64}");
            browser.screenshot("audit-trail");

            // the filter offers every type the trail describes, the webhooks' too
            List<String> offered = new Select(browser.find("#type")).getOptions().stream().map(WebElement::getText)
                    .toList();
            assertThat(offered).contains("Any", "ApiKeyCreated", "ApiKeyUsageSpiked", "MemberAdded",
                    "WebhookEndpointCreated", "WebhookSecretRotated");
            browser.select("#type", "ApiKeyCreated").click("#apply-filters");
            List<WebElement> rows = browser.driver().findElements(By.cssSelector("#audit-records tbody tr[data-position]"));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getText()).contains("ApiKeyCreated").contains("Billing service");
            assertThat(new Select(browser.find("#type")).getFirstSelectedOption().getText()).isEqualTo("ApiKeyCreated");

            browser.click("#verify-chain");
            assertThat(browser.path()).isEqualTo("/audit/verify");
            assertThat(browser.text("#chain-intact")).startsWith("Intact.");
            assertThat(browser.text("#verified-head-position")).isEqualTo(headPosition);
            assertThat(browser.text("#verified-head-hash")).isEqualTo(headHash);
            browser.screenshot("audit-verify");

            // time travel to the instant before the rename and the endpoint's change, with the picker's form
            browser.click("#tab-keys");
            browser.setValue("#at", LocalDateTime.ofInstant(at, ZoneOffset.UTC).toString()).click("#travel");
            assertThat(browser.text("#travel-instant")).isEqualTo(at.toString());
            WebElement keyRow = browser.find("#keys-at tr[data-key-id='" + key.key().id().value() + "']");
            assertThat(keyRow.getText()).contains("Billing service").doesNotContain("Billing v2").contains("Active");
            WebElement endpointRow = browser.find("#endpoints-at tr[data-endpoint-id='"
                    + endpoint.endpoint().id().value() + "']");
            assertThat(endpointRow.getText()).contains("Orders").doesNotContain("Orders v2").contains("enabled")
                    .contains("https://93.184.216.34/hooks").contains("key.revoked").contains("v1");
            assertThat(browser.page()).doesNotContain(key.secret()).doesNotContain(endpoint.secret())
                    .doesNotContain(endpoint.secret().substring("whsec_".length()));

            // what changed since: the key renamed, the endpoint updated and disabled
            browser.setValue("#diff-from", LocalDateTime.ofInstant(at, ZoneOffset.UTC).toString())
                    .setValue("#diff-to", LocalDateTime.ofInstant(afterChanges, ZoneOffset.UTC).toString())
                    .click("#compare");
            assertThat(browser.driver().findElements(By.cssSelector("#key-changes tr[data-change]")))
                    .extracting(row -> row.getAttribute("data-change")).containsExactly("renamed");
            assertThat(browser.driver().findElements(By.cssSelector("#endpoint-changes tr[data-change]")))
                    .extracting(row -> row.getAttribute("data-change")).containsExactly("updated", "disabled");
            assertThat(browser.text("#endpoint-changes")).contains("name Orders").contains("name Orders v2")
                    .contains("manual");
            assertThat(browser.text("#travel-instant")).isEqualTo(at.toString());
            assertThat(browser.page()).doesNotContain(key.secret()).doesNotContain(endpoint.secret())
                    .doesNotContain(endpoint.secret().substring("whsec_".length()));
            browser.reveal(browser.find("#endpoints-at"));
            browser.screenshot("audit-time-travel");

            // and now: the key renamed, the endpoint renamed and disabled
            browser.go("/audit/keys");
            assertThat(browser.find("#keys-at tr[data-key-id='" + key.key().id().value() + "']").getText())
                    .contains("Billing v2");
            assertThat(browser.find("#endpoints-at tr[data-endpoint-id='" + endpoint.endpoint().id().value() + "']")
                    .getText()).contains("Orders v2").contains("disabled");
        }
    }
}
