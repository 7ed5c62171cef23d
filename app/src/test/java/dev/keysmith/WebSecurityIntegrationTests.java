package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Security headers on pages, API answers and error pages (over real HTTP), HSTS only over TLS, and session
 * fixation: the session id changes at sign-in, the old one is not signed in, and sign-out ends the session.
 */
@KeysmithIntegrationTest
class WebSecurityIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern SESSION = Pattern.compile("JSESSIONID=([^;]+)");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    MockMvc mvc;

    @Test
    void pagesApiAnswersAndErrorPagesCarryTheSecurityHeaders() throws Exception {
        String email = TestData.email("headers");
        TenantId tenant = accounts.signUp("Headers", email, TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        String key = SecretRegistry.add(keys.create(tenant, new ApiKeys.NewKey("Headers", "production", null, List.of(), null)).secret());
        String session = signIn(email, TestData.PASSWORD);

        Map<String, HttpResponse<String>> pages = new java.util.LinkedHashMap<>();
        pages.put("sign-in page", send("GET", "/login", null, null, Map.of()));
        pages.put("keys page", send("GET", "/keys", session, null, Map.of()));
        pages.put("page 404", send("GET", "/keys/key_AAAAAAAAAAAAAAAA", session, null, Map.of()));
        pages.put("page 403", send("GET", "/audit/replay/status", signInAsDeveloper(tenant), null, Map.of()));
        pages.put("unmapped page", send("GET", "/no-such-page", session, null, Map.of()));
        pages.put("signed-out redirect", send("GET", "/keys", null, null, Map.of()));
        for (var page : pages.entrySet()) {
            HttpResponse<String> response = page.getValue();
            assertThat(header(response, "Content-Security-Policy")).as(page.getKey())
                    .contains("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            assertCommonHeaders(page.getKey(), response);
            assertThat(header(response, "Referrer-Policy")).as(page.getKey()).isEqualTo("same-origin");
        }
        assertThat(pages.get("page 404").statusCode()).isEqualTo(404);
        assertThat(pages.get("page 403").statusCode()).isEqualTo(403);

        Map<String, HttpResponse<String>> api = new java.util.LinkedHashMap<>();
        api.put("key list", send("GET", "/api/v1/keys", null, null, Map.of("Authorization", "Bearer " + key)));
        api.put("created key (shows a secret)", send("POST", "/api/v1/keys", null,
                "{\"name\":\"Headers 2\",\"environment\":\"development\"}",
                Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json")));
        api.put("ping", send("GET", "/api/v1/ping", null, null, Map.of()));
        api.put("401 problem", send("GET", "/api/v1/keys", null, null, Map.of()));
        api.put("404 problem", send("GET", "/api/v1/keys/key_AAAAAAAAAAAAAAAA", null, null, Map.of("Authorization", "Bearer " + key)));
        api.put("unmapped API path", send("GET", "/api/v1/nothing-here", null, null, Map.of("Authorization", "Bearer " + key)));
        for (var answer : api.entrySet()) {
            HttpResponse<String> response = answer.getValue();
            assertThat(header(response, "Content-Security-Policy")).as(answer.getKey())
                    .contains("default-src 'none'", "frame-ancestors 'none'");
            assertCommonHeaders(answer.getKey(), response);
            assertThat(header(response, "Referrer-Policy")).as(answer.getKey()).isEqualTo("no-referrer");
        }
        assertThat(api.get("created key (shows a secret)").statusCode()).isEqualTo(201);
        SecretRegistry.add(Api.JSON.readTree(api.get("created key (shows a secret)").body()).path("secret").asText());
        assertThat(api.get("401 problem").statusCode()).isEqualTo(401);
        assertThat(api.get("404 problem").statusCode()).isEqualTo(404);
        assertThat(api.get("unmapped API path").statusCode()).isEqualTo(404);

        // plain HTTP: no HSTS (a browser ignores it there, and it must not pin a host that has no TLS)
        for (var response : List.of(pages.get("keys page"), api.get("key list"))) {
            assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }

    @Test
    void thePagesThatShowASecretAreNotStored() throws Exception {
        String email = TestData.email("no-store");
        TenantId tenant = accounts.signUp("No store", email, TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        MockHttpSession session = SignedIn.session(mvc, email, TestData.PASSWORD);
        MockHttpServletResponse created = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .post("/keys/new").session(session)
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                        .param("name", "Shown once").param("environment", "production"))
                .andReturn().getResponse();
        assertThat(created.getStatus()).isEqualTo(200);
        java.util.regex.Matcher secret = SecretRegistry.KEY.matcher(created.getContentAsString());
        assertThat(secret.find()).as("the page shows the new key").isTrue();
        SecretRegistry.add(secret.group());
        assertThat(created.getHeader("Cache-Control")).contains("no-store");
        assertThat(keys.list(tenant, 0, 64, true)).hasSize(1);
    }

    /**
     * HSTS over TLS. The servlet request says it came over TLS ({@code isSecure()}, as Tomcat's TLS connector or a
     * trusted proxy's X-Forwarded-Proto sets it) and Spring Security's header writer adds HSTS; MockMvc's
     * {@code secure(true)} sets exactly that, without a keystore and a second server.
     */
    @Test
    void hstsIsSentOverTlsOnly() throws Exception {
        String email = TestData.email("hsts");
        accounts.signUp("HSTS", email, TestData.PASSWORD, Plan.FREE);
        MockHttpSession session = SignedIn.session(mvc, email, TestData.PASSWORD);
        for (String path : List.of("/keys", "/login", "/api/v1/ping", "/api/v1/keys")) {
            MockHttpServletResponse secure = mvc.perform(get(path).secure(true).session(session)).andReturn().getResponse();
            assertThat(secure.getHeader("Strict-Transport-Security")).as(path).startsWith("max-age=31536000")
                    .contains("includeSubDomains");
            MockHttpServletResponse plain = mvc.perform(get(path).session(session)).andReturn().getResponse();
            assertThat(plain.getHeader("Strict-Transport-Security")).as(path).isNull();
        }
    }

    @Test
    void signInIssuesANewSessionAndSignOutEndsIt() throws Exception {
        String email = TestData.email("fixation");
        accounts.signUp("Fixation", email, TestData.PASSWORD, Plan.FREE);

        // an attacker's session id, planted before sign-in
        HttpResponse<String> loginPage = send("GET", "/login", null, null, Map.of());
        String planted = sessionOf(loginPage);
        assertThat(planted).as("the sign-in page opens a session for its CSRF token").isNotNull();
        HttpResponse<String> signedIn = send("POST", "/login", planted, form(Map.of("email", email,
                "password", TestData.PASSWORD, "_csrf", csrf(loginPage.body()))), formHeaders());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(header(signedIn, "Location")).endsWith("/");
        String fresh = sessionOf(signedIn);
        assertThat(fresh).as("a new session id at sign-in").isNotNull().isNotEqualTo(planted);

        assertThat(send("GET", "/keys", fresh, null, Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> withPlanted = send("GET", "/keys", planted, null, Map.of());
        assertThat(withPlanted.statusCode()).as("the planted id is not signed in").isEqualTo(302);
        assertThat(header(withPlanted, "Location")).endsWith("/login");

        HttpResponse<String> page = send("GET", "/keys", fresh, null, Map.of());
        HttpResponse<String> signedOut = send("POST", "/logout", fresh, form(Map.of("_csrf", csrf(page.body()))),
                formHeaders());
        assertThat(signedOut.statusCode()).isEqualTo(302);
        assertThat(header(signedOut, "Location")).endsWith("/login?signedOut");
        HttpResponse<String> afterLogout = send("GET", "/keys", fresh, null, Map.of());
        assertThat(afterLogout.statusCode()).as("the session ended with sign-out").isEqualTo(302);
        assertThat(header(afterLogout, "Location")).endsWith("/login");
    }

    private static void assertCommonHeaders(String what, HttpResponse<String> response) {
        assertThat(header(response, "X-Frame-Options")).as(what).isEqualTo("DENY");
        assertThat(header(response, "X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(header(response, "Cache-Control")).as(what).contains("no-store");
    }

    private String signInAsDeveloper(TenantId tenant) throws Exception {
        String email = TestData.email("headers-dev");
        accounts.addMember(tenant, email, dev.keysmith.keys.Role.DEVELOPER, "initial password 1");
        String session = signIn(email, "initial password 1");
        HttpResponse<String> page = send("GET", "/account/password", session, null, Map.of());
        HttpResponse<String> changed = send("POST", "/account/password", session, form(Map.of("_csrf", csrf(page.body()),
                "currentPassword", "initial password 1", "newPassword", TestData.PASSWORD,
                "confirmPassword", TestData.PASSWORD)), formHeaders());
        assertThat(changed.statusCode()).isEqualTo(302);
        String renewed = sessionOf(changed);
        return renewed != null ? renewed : session;
    }

    /** Signs in through the real form over HTTP; the session id after sign-in. */
    private String signIn(String email, String password) throws Exception {
        HttpResponse<String> loginPage = send("GET", "/login", null, null, Map.of());
        HttpResponse<String> signedIn = send("POST", "/login", sessionOf(loginPage), form(Map.of("email", email,
                "password", password, "_csrf", csrf(loginPage.body()))), formHeaders());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(header(signedIn, "Location")).doesNotContain("error", "throttled");
        return sessionOf(signedIn);
    }

    private HttpResponse<String> send(String method, String path, String session, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Cookie", "JSESSIONID=" + session);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> formHeaders() {
        return Map.of("Content-Type", "application/x-www-form-urlencoded");
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .reduce((x, y) -> x + "&" + y).orElse("");
    }

    private static String csrf(String html) {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as("a _csrf field on the page").isTrue();
        return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    }

    private static String sessionOf(HttpResponse<String> response) {
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            Matcher matcher = SESSION.matcher(cookie);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
