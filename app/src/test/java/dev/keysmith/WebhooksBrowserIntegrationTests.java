package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook journey in headless Chromium: create an endpoint, send a test, see the attempt, resend it. */
@KeysmithIntegrationTest
class WebhooksBrowserIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;

    @Test
    void createSendTestSeeTheAttemptAndResend() {
        String owner = TestData.email("hooks-owner");
        Accounts.SignUp tenant = accounts.signUp("Hooks UI", owner, TestData.PASSWORD, Plan.PRO);
        String developer = TestData.email("hooks-dev");
        MemberId member = accounts.addMember(tenant.tenantId(), developer, Role.DEVELOPER, "initial password 1");
        accounts.changePassword(tenant.tenantId(), member, "initial password 1", TestData.PASSWORD);
        try (Receiver receiver = new Receiver(); Browser browser = Browser.open(port)) {
            signIn(browser, owner);
            browser.click("#nav-webhooks");
            assertThat(browser.has("#no-endpoints")).isTrue();
            browser.click("#new-endpoint");

            // a refused URL is explained beside the field, and nothing is created
            browser.type("#name", "Orders sync").type("#url", "https://169.254.169.254/latest");
            browser.click("#create-endpoint");
            assertThat(browser.text("#url-feedback")).contains("169.254.169.254").contains("public addresses");

            browser.find("#url").clear();
            browser.type("#url", receiver.url("/ui"));
            browser.click("#create-endpoint");
            String secret = browser.text("#secret");
            assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
            browser.screenshot("webhook-created");
            browser.clickAndConfirm(browser.find("#done"));
            assertThat(browser.path()).startsWith("/webhooks/whep_");
            assertThat(browser.driver().getPageSource()).doesNotContain(secret);
            String endpointPath = browser.path();

            browser.click("#send-test");
            assertThat(browser.text("#flash-success")).startsWith("Test event queued (msg_");
            Receiver.await("the test message", WAIT, () -> receiver.requests("/ui").size() == 1);
            Receiver.await("the log to show it delivered", WAIT, () -> "succeeded".equals(
                    browser.go(endpointPath).find(".delivery-row").getAttribute("data-status")));
            WebElement row = browser.find(".delivery-row");
            assertThat(row.findElement(By.cssSelector(".delivery-attempts")).getText()).isEqualTo("1");
            browser.screenshot("webhook-log");

            browser.click(row.findElement(By.cssSelector(".delivery-link")));
            String messageId = browser.text("#message-id");
            assertThat(messageId).isEqualTo(receiver.requests("/ui").get(0).header("webhook-id"));
            assertThat(browser.text(".attempt .attempt-status")).isEqualTo("HTTP 200");
            assertThat(browser.text(".attempt .attempt-headers")).contains("webhook-id").contains(messageId)
                    .contains("webhook-signature").contains("v1,").contains("webhook-timestamp");
            assertThat(browser.text(".attempt .attempt-response")).isEqualTo("answer 200");
            String deliveryPath = browser.path();

            browser.click("#resend");
            assertThat(browser.text("#flash-success")).contains(messageId);
            Receiver.await("the resent message", WAIT, () -> receiver.requests("/ui").size() == 2);
            assertThat(receiver.requests("/ui").get(1).header("webhook-id")).isEqualTo(messageId);
            Receiver.await("two attempts on the page", WAIT,
                    () -> browser.go(deliveryPath).driver().findElements(By.cssSelector(".attempt")).size() == 2);
            assertThat(browser.find(".attempt").getText()).contains("manual");
            browser.screenshot("webhook-attempts");

            // a Developer reads the same pages but gets no buttons
            browser.click("#sign-out");
            signIn(browser, developer);
            browser.go(endpointPath);
            assertThat(browser.has(".delivery-row")).isTrue();
            assertThat(browser.has("#send-test")).isFalse();
            assertThat(browser.has("#edit-endpoint-form")).isFalse();
            browser.go(deliveryPath);
            assertThat(browser.has("#resend")).isFalse();
            browser.go("/webhooks");
            assertThat(browser.has("#new-endpoint")).isFalse();
        }
    }

    private static void signIn(Browser browser, String email) {
        browser.go("/login").type("#email", email).type("#password", TestData.PASSWORD).click("#login-submit");
        assertThat(browser.path()).isEqualTo("/keys");
    }
}
