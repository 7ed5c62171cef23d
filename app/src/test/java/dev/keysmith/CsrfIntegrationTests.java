package dev.keysmith;

import dev.keysmith.Routes.Route;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantDirectory;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * CSRF on every form: every POST route of the UI (read from the handler mappings, plus sign-in and sign-out, which
 * Spring Security answers itself) is refused with 403 for a signed-in Owner who sends no token or a wrong one, and
 * changes nothing; every {@code <form method=post>} on every page an Owner can open carries the token, and no page
 * relies on inline script (the CSP forbids it).
 */
@KeysmithIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsrfIntegrationTests {

    @Autowired
    ApplicationContext context;
    @Autowired
    MockMvc mvc;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    TenantDirectory directory;
    @LocalServerPort
    int port;

    Receiver receiver;
    Workspace own;
    MockHttpSession owner;

    @BeforeAll
    void workspace() throws Exception {
        receiver = new Receiver();
        own = Workspace.create("csrf", accounts, keys, new Api(port), receiver);
        owner = SignedIn.session(mvc, own.ownerEmail(), TestData.PASSWORD);
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void everyPostWithoutOrWithAWrongTokenIsRefusedAndChangesNothing() throws Exception {
        List<String> targets = new ArrayList<>(List.of("/login", "/logout"));
        for (Route route : Routes.all(context)) {
            if (!route.api() && route.method().equals("POST")) {
                targets.add(Routes.fill(route, own, own));
            }
        }
        assertThat(targets).as("UI POST routes").hasSizeGreaterThan(20);
        int refused = 0;
        for (String target : targets) {
            for (String token : new String[] {null, "forged-token"}) {
                MockHttpServletRequestBuilder request = post(target).session(owner)
                        .param("reason", "leaked").param("role", "DEVELOPER").param("plan", "free")
                        .param("brand", "Forged").param("email", own.ownerEmail()).param("password", TestData.PASSWORD)
                        .param("name", "Forged name");
                if (token != null) {
                    request.param("_csrf", token).header("X-CSRF-TOKEN", token);
                }
                MvcResult result = mvc.perform(request).andReturn();
                assertThat(result.getResponse().getStatus()).as("POST " + target + " with token " + token).isEqualTo(403);
                refused++;
            }
        }
        System.out.printf("CSRF: %d UI POST routes, %d requests without or with a wrong token, %d refused with 403%n",
                targets.size(), targets.size() * 2, refused);

        // nothing changed: the key is active and named as before, the member keeps the role, the plan is the same,
        // the session is still signed in (sign-out was refused too)
        var key = keys.find(own.tenantId(), ApiKeyId.parse(own.keyId())).orElseThrow();
        assertThat(key.revokedAt()).isNull();
        assertThat(key.name()).isEqualTo(own.keyName());
        assertThat(directory.member(own.tenantId(), new MemberId(own.memberId())).orElseThrow().role())
                .isEqualTo(Role.ADMIN);
        assertThat(directory.tenant(own.tenantId()).orElseThrow().plan()).isEqualTo(Plan.ENTERPRISE);
        assertThat(directory.tenant(own.tenantId()).orElseThrow().brands()).doesNotContain("Forged");
        assertThat(mvc.perform(get("/keys").session(owner)).andReturn().getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void everyFormOnEveryPageCarriesTheTokenAndNoPageNeedsInlineScript() throws Exception {
        List<String> pages = new ArrayList<>(List.of("/login", "/signup"));
        for (Route route : Routes.all(context)) {
            if (!route.api() && route.method().equals("GET") && !route.pattern().contains("**")
                    && !route.pattern().startsWith("/actuator") && !route.pattern().startsWith("/v3/")
                    && !route.pattern().startsWith("/swagger") && !route.pattern().equals("/error")) {
                pages.add(Routes.fill(route, own, own));
            }
        }
        int forms = 0;
        int rendered = 0;
        List<String> problems = new ArrayList<>();
        for (String page : pages) {
            boolean anonymous = page.equals("/login") || page.equals("/signup");
            MockHttpServletRequestBuilder request = get(page);
            if (!anonymous) {
                request.session(owner);
            }
            MvcResult result = mvc.perform(request).andReturn();
            String type = result.getResponse().getContentType();
            if (result.getResponse().getStatus() != 200 || type == null || !type.startsWith("text/html")) {
                continue;  // JSON, CSV, redirects: no forms
            }
            rendered++;
            Document document = Jsoup.parse(result.getResponse().getContentAsString());
            for (Element form : document.select("form")) {
                if (!form.attr("method").equalsIgnoreCase("post")) {
                    continue;
                }
                forms++;
                Element token = form.selectFirst("input[type=hidden][name=_csrf]");
                if (token == null || token.val().isBlank()) {
                    problems.add(page + ": form " + form.attr("action") + " has no _csrf token");
                }
            }
            for (Element script : document.select("script")) {
                if (!script.hasAttr("src") && !script.data().isBlank()) {
                    problems.add(page + ": inline script " + script.data().strip().substring(0, Math.min(60, script.data().strip().length())));
                }
            }
            for (Element element : document.getAllElements()) {
                element.attributes().forEach(attribute -> {
                    if (attribute.getKey().toLowerCase().startsWith("on")
                            || attribute.getValue().strip().toLowerCase().startsWith("javascript:")) {
                        problems.add(page + ": inline handler " + attribute);
                    }
                });
            }
        }
        System.out.printf("CSRF: %d pages rendered as an Owner, %d POST forms, %d without a token or with inline script%n",
                rendered, forms, problems.size());
        assertThat(problems).isEmpty();
        assertThat(rendered).isGreaterThan(10);
        assertThat(forms).isGreaterThan(10);
    }
}
