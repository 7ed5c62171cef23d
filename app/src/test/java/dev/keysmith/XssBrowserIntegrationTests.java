package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XSS payloads in every field a user (or a caller of the API, or a stranger sending requests) can fill, rendered in
 * headless Chromium on every page that shows them: no payload runs ({@code window.__xss} stays undefined), none
 * turns into markup (no element with an inline handler, no injected script, no {@code javascript:} link), each is
 * shown literally, and no page triggers a Content-Security-Policy violation (so no page needs inline script, and
 * the CSP is a second line, not the one that saved us). Violations are collected by a listener installed through
 * the DevTools protocol before each page's own scripts.
 */
@KeysmithIntegrationTest
class XssBrowserIntegrationTests {

    static final String IMG = "<img src=x onerror=window.__xss=1>";
    static final String SCRIPT = "\"><script>window.__xss=1</script>";
    static final String SVG = "'><svg onload=window.__xss=1>";
    static final String JS_URL = "javascript:window.__xss=1//";

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;

    @Test
    void payloadsInEveryUserSuppliedFieldAreShownLiterallyAndNeverRun() {
        try (Browser browser = Browser.open(port); Receiver receiver = new Receiver()) {
            String ownerEmail = TestData.email("xss-owner");
            TenantId tenant = accounts.signUp("Acme " + IMG, ownerEmail, TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
            accounts.addBrand(tenant, SCRIPT);
            String memberEmail = "<img/src=x/onerror=window.__xss=1>" + System.nanoTime() + "@example.test";
            accounts.addMember(tenant, memberEmail, Role.DEVELOPER, "initial password 1");
            String admin = SecretRegistry.add(keys.create(tenant,
                    new ApiKeys.NewKey(SCRIPT, "production", null, List.of(), SCRIPT)).secret());
            Api api = new Api(port);
            JsonNode imgKey = api.post("/api/v1/keys", admin, Map.of("name", IMG, "environment", "development")).json();
            JsonNode svgKey = api.post("/api/v1/keys", admin, Map.of("name", JS_URL, "environment", "sandbox")).json();
            assertThat(api.patch("/api/v1/keys/" + svgKey.get("id").asText(), admin, Map.of("name", SVG)).status())
                    .isEqualTo(200);  // the rename is in the audit trail with both names
            JsonNode endpoint = api.post("/api/v1/webhooks", admin, Map.of("name", SVG,
                    "url", "https://93.184.216.34/hook?q=%22%3E%3Cscript%3Ewindow.__xss=1%3C/script%3E",
                    "events", List.of("key.expired"))).json();
            String endpointId = endpoint.get("id").asText();
            // a subscriber's answer is shown on the delivery page as a response excerpt
            receiver.body("/xss", SCRIPT + " " + IMG);
            String subscriberId = api.post("/api/v1/webhooks", admin, Map.of("name", "Subscriber", "url",
                    receiver.url("/xss"), "events", List.of("key.expired"))).json().get("id").asText();
            String deliveryId = api.post("/api/v1/webhooks/" + subscriberId + "/test", admin, null).json().get("id").asText();
            IntegrationAwait.until("the test delivery to the subscriber", () -> !receiver.requests("/xss").isEmpty()
                    && api.get("/api/v1/webhooks/" + subscriberId + "/deliveries/" + deliveryId, admin).json()
                    .path("status").asText().equals("succeeded"));
            Api.Response urlRefused = api.post("/api/v1/webhooks", admin, Map.of("name", "JS URL", "url", JS_URL,
                    "events", List.of("key.expired")));
            assertThat(urlRefused.status()).as("a javascript: URL is refused as a webhook URL").isEqualTo(400);

            // the request log: a stranger's user agent and path
            api.send("GET", "/api/v1/keys/" + URLEncoder.encode(IMG, StandardCharsets.UTF_8).replace("+", "%20"),
                    admin, null, Map.of("User-Agent", SCRIPT));
            api.send("GET", "/api/v1/" + URLEncoder.encode(SVG, StandardCharsets.UTF_8).replace("+", "%20"), admin, null,
                    Map.of("User-Agent", IMG));
            String[] logIds = new String[2];
            IntegrationAwait.until("two request-log records with payloads", () -> {
                List<String> ids = new ArrayList<>();
                for (JsonNode item : api.get("/api/v1/logs?status=404", admin).json().path("items")) {
                    ids.add(item.get("id").asText());
                }
                if (ids.size() < 2) {
                    return false;
                }
                logIds[0] = ids.get(0);
                logIds[1] = ids.get(1);
                return true;
            });

            // every page that renders those fields, with what it must show literally
            Map<String, List<String>> pages = new LinkedHashMap<>();
            pages.put("/login?throttled=" + URLEncoder.encode(IMG, StandardCharsets.UTF_8), List.of(IMG)); // signed out
            pages.put("/keys", List.of(IMG, SCRIPT));
            pages.put("/keys?all=true", List.of(IMG, SVG));
            pages.put("/keys/" + imgKey.get("id").asText(), List.of(IMG));
            pages.put("/keys/" + svgKey.get("id").asText(), List.of(SVG));
            pages.put("/keys/new", List.of(SCRIPT));
            pages.put("/webhooks", List.of(SVG));
            pages.put("/webhooks/" + endpointId, List.of(SVG));
            pages.put("/webhooks/" + subscriberId + "/deliveries/" + deliveryId, List.of(SCRIPT + " " + IMG));
            pages.put("/members", List.of(memberEmail));
            pages.put("/settings", List.of(SCRIPT));
            pages.put("/logs", List.of());
            pages.put("/logs/" + logIds[0], List.of());
            pages.put("/logs/" + logIds[1], List.of());
            pages.put("/audit", List.of(IMG, SVG));
            pages.put("/audit/keys", List.of(IMG, SVG));
            pages.put("/audit/verify", List.of());

            ChromiumDriver chromium = (ChromiumDriver) browser.driver();
            chromium.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    "window.__csp = []; document.addEventListener('securitypolicyviolation', "
                            + "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"));

            JavascriptExecutor js = (JavascriptExecutor) browser.driver();
            List<String> problems = new ArrayList<>();
            StringBuilder logText = new StringBuilder();
            // the page that shows a new key's secret names the key: a key created in the form, by a member
            pages.put("POST /keys/new", List.of(IMG + " (form)"));
            boolean signedIn = false;
            for (var page : pages.entrySet()) {
                if (!signedIn && !page.getKey().startsWith("/login")) {
                    browser.go("/login").type("#email", ownerEmail).type("#password", TestData.PASSWORD).click("#login-submit");
                    signedIn = true;
                }
                if (page.getKey().equals("POST /keys/new")) {
                    browser.go("/keys/new").type("#name", IMG + " (form)").click("#create-key-submit");
                    assertThat(browser.path()).as("the secret page").doesNotStartWith("/keys/new?");
                } else {
                    browser.go(page.getKey());
                    assertThat(browser.path()).as("opened " + page.getKey()).isEqualTo(page.getKey());
                }
                Object ran = js.executeScript("return typeof window.__xss");
                if (!"undefined".equals(ran)) {
                    problems.add(page.getKey() + ": a payload ran");
                }
                Object injected = js.executeScript("""
                        const found = [];
                        for (const el of document.querySelectorAll('*')) {
                          for (const attr of el.attributes) {
                            if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
                            if (/^\\s*javascript:/i.test(attr.value) && (attr.name === 'href' || attr.name === 'src'
                                || attr.name === 'action' || attr.name === 'formaction')) found.push(el.tagName + ' ' + attr.name);
                          }
                        }
                        for (const s of document.scripts) if (s.textContent.includes('__xss')) found.push('SCRIPT');
                        if (document.querySelector('img[src="x"], svg[onload]')) found.push('injected element');
                        return found;""");
                if (injected instanceof List<?> list && !list.isEmpty()) {
                    problems.add(page.getKey() + ": markup from a payload " + list);
                }
                Object violations = js.executeScript("return window.__csp || ['listener missing']");
                if (violations instanceof List<?> list && !list.isEmpty()) {
                    problems.add(page.getKey() + ": Content-Security-Policy violations " + list);
                }
                String text = browser.page();
                List<String> literals = new ArrayList<>(page.getValue());
                if (!page.getKey().startsWith("/login")) {
                    literals.add("Acme " + IMG);  // the workspace name, in the navigation bar of every signed-in page
                }
                for (String literal : literals) {
                    if (!text.contains(literal)) {
                        problems.add(page.getKey() + ": does not show literally " + literal);
                    }
                }
                if (page.getKey().startsWith("/logs/")) {
                    logText.append(text).append('\n');
                }
            }
            // the two log records show the user agents and paths literally (paths as the server decoded them)
            assertThat(logText.toString()).contains(SCRIPT, IMG);
            System.out.printf("XSS: %d pages rendered in Chromium with payloads in key names, brand, workspace name, "
                    + "member email, endpoint name and URL, a subscriber's response, request path and user agent, "
                    + "audit trail: %d problems%n",
                    pages.size(), problems.size());
            assertThat(problems).isEmpty();
        }
    }
}
