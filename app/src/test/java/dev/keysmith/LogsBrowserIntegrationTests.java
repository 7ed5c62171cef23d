package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The Logs tab and the key chart in headless Chromium: filters, messages beside fields, pages, detail, SVGs. */
@KeysmithIntegrationTest
class LogsBrowserIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys apiKeys;
    @Autowired
    RequestLogs logs;

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    long logged(TenantId tenant) {
        return logs.histogram(tenant, RequestLogQuery.all()).values().stream().mapToLong(Long::longValue).sum();
    }

    List<String> statuses(Browser browser) {
        return browser.driver().findElements(By.cssSelector("#log-table .log-status")).stream()
                .map(WebElement::getText).toList();
    }

    @Test
    void anAuditorFiltersPagesAndOpensRequestsAndSeesTheKeyChart() throws Exception {
        String owner = TestData.email("logs-owner");
        Accounts.SignUp tenant = accounts.signUp("Logs UI", owner, TestData.PASSWORD, Plan.PRO);
        accounts.addBrand(tenant.tenantId(), "Globex");
        ApiKeys.IssuedKey live = apiKeys.create(tenant.tenantId(),
                new ApiKeys.NewKey("Billing service", "production", null, List.of(), "Globex"));
        ApiKeys.IssuedKey sandbox = apiKeys.create(tenant.tenantId(),
                new ApiKeys.NewKey("Sandbox tests", "sandbox", null, List.of(), null));
        Api api = new Api(port);
        for (int i = 0; i < 60; i++) {
            api.get("/api/v1/whoami", live.secret());
        }
        for (int i = 0; i < 6; i++) {
            api.get("/api/v1/keys/key_0000000000000000", live.secret()); // 404 key_not_found
        }
        for (int i = 0; i < 4; i++) {
            api.get("/api/v1/whoami", sandbox.secret());
        }
        await(() -> logged(tenant.tenantId()) == 70, "70 records");
        await(() -> apiKeys.find(tenant.tenantId(), live.key().id()).orElseThrow().usageCount() == 66, "usage");

        String auditor = TestData.email("logs-auditor");
        MemberId member = accounts.addMember(tenant.tenantId(), auditor, Role.AUDITOR, "initial password 1");
        accounts.changePassword(tenant.tenantId(), member, "initial password 1", TestData.PASSWORD);
        try (Browser browser = Browser.open(port)) {
            browser.go("/login").type("#email", auditor).type("#password", TestData.PASSWORD).click("#login-submit");
            browser.click("#nav-logs");
            assertThat(browser.path()).isEqualTo("/logs");
            assertThat(browser.text("#log-retention")).isEqualTo("30");
            assertThat(browser.driver().findElements(By.cssSelector("#log-table .log-row"))).hasSize(50);
            assertThat(browser.text("#log-histogram .chart-summary")).isEqualTo("70 requests, 200: 64, 404: 6");
            assertThat(browser.driver().findElements(By.cssSelector("#log-histogram rect.chart-bar"))).hasSize(2);
            browser.screenshot("logs-tab");

            // older: the second page continues the first, newest first, no row twice
            Set<String> ids = new HashSet<>();
            browser.driver().findElements(By.cssSelector("#log-table .log-row"))
                    .forEach(row -> ids.add(row.getAttribute("data-id")));
            api.get("/api/v1/whoami", live.secret()); // a new request between the pages
            browser.click("#log-older");
            List<WebElement> older = browser.driver().findElements(By.cssSelector("#log-table .log-row"));
            assertThat(older).hasSize(20);
            older.forEach(row -> assertThat(ids.add(row.getAttribute("data-id"))).isTrue());
            assertThat(browser.has("#log-older")).isFalse();
            assertThat(browser.has("#log-newest")).isTrue();

            // each filter
            browser.go("/logs");
            browser.type("#status", "4xx").click("#log-filter-submit");
            assertThat(statuses(browser)).hasSize(6).containsOnly("404");
            assertThat(browser.text("#log-histogram .chart-summary")).isEqualTo("6 requests, 404: 6");
            browser.go("/logs").type("#status", "404").type("#code", "key_not_found").click("#log-filter-submit");
            assertThat(statuses(browser)).hasSize(6);
            browser.go("/logs").select("#environment", "Sandbox").click("#log-filter-submit");
            assertThat(statuses(browser)).hasSize(4);
            browser.go("/logs").select("#keyId", "Sandbox tests").click("#log-filter-submit");
            assertThat(statuses(browser)).hasSize(4);
            browser.go("/logs").select("#brand", "Globex").type("#status", "2xx").click("#log-filter-submit");
            assertThat(browser.text("#log-histogram .chart-summary")).startsWith("61 requests");
            browser.go("/logs").type("#from", "2999-01-01").click("#log-filter-submit");
            assertThat(browser.text("#log-empty")).isEqualTo("No requests match.");
            browser.go("/logs").type("#to", "2000-01-01").click("#log-filter-submit");
            assertThat(browser.has("#log-table")).isFalse();

            // bad values: a message beside each field
            browser.go("/logs").type("#from", "yesterday").type("#status", "6xx").type("#code", "Not a code")
                    .click("#log-filter-submit");
            assertThat(browser.text("#from-feedback")).contains("ISO-8601");
            assertThat(browser.text("#status-feedback")).contains("2xx, 3xx, 4xx or 5xx");
            assertThat(browser.text("#code-feedback")).contains("error code");
            assertThat(browser.find("#status").getAttribute("value")).isEqualTo("6xx");
            browser.screenshot("logs-invalid-filter");

            // a request's page
            browser.go("/logs").type("#status", "404").click("#log-filter-submit");
            browser.click("#log-table .log-link");
            assertThat(browser.path()).startsWith("/logs/req_");
            assertThat(browser.text("#log-detail-status")).isEqualTo("404");
            assertThat(browser.text("#log-detail-code")).isEqualTo("key_not_found");
            assertThat(browser.text("#log-detail-key")).contains("Billing service");
            assertThat(browser.text("#log-detail-path")).isEqualTo("/api/v1/keys/key_0000000000000000");
            assertThat(browser.text("#log-detail-agent")).startsWith("Java-http-client");

            // the key's page: requests over time (61 whoami, one of them between the pages, and 6 refusals)
            await(() -> apiKeys.find(tenant.tenantId(), live.key().id()).orElseThrow().usageCount() == 67, "usage");
            browser.go("/keys/" + live.key().id().value());
            assertThat(browser.text("#key-chart-24h .chart-summary")).isEqualTo("67 requests: 61 2xx, 6 4xx, 0 5xx");
            assertThat(browser.text("#key-chart-30d .chart-summary")).isEqualTo("67 requests: 61 2xx, 6 4xx, 0 5xx");
            assertThat(browser.driver().findElements(By.cssSelector("#key-chart-24h rect.chart-bar"))).isNotEmpty();
            browser.reveal(browser.find("#key-usage-charts"));
            browser.screenshot("key-chart");
        }
    }
}
