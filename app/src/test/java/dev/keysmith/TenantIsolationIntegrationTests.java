package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import dev.keysmith.Routes.Route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * The tenant isolation matrix. Every route the application maps (read from Spring's handler mappings, so a new
 * route is covered, or fails this test, without anyone listing it) is called by tenant B with tenant A's ids in
 * every path variable and in the id query parameters: through B's web session for pages, with B's admin key for
 * the API, and with A's key against B's ids. No call may succeed: a route naming another tenant's object answers
 * 404 (403 where the role forbids), and no answer shows any of A's data. Routes that carry no tenant data are
 * listed in {@link #TENANT_FREE} with the reason.
 */
@KeysmithIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationIntegrationTests {

    /** Routes that name no tenant's object and show no tenant's data, and why. */
    static final Map<String, String> TENANT_FREE = Map.ofEntries(
            Map.entry("/login", "the sign-in page"),
            Map.entry("/signup", "creates a new tenant; names none"),
            Map.entry("/error", "Boot's error page; shows only the status"),
            Map.entry("/docs/errors", "the public error catalogue"),
            Map.entry("/docs/errors/{code}", "one public error code; {code} is a catalogue code, not an id"),
            Map.entry("/docs/webhooks", "the public webhook event catalogue"),
            Map.entry("/docs/webhooks/verify", "public documentation"),
            Map.entry("/api/v1/ping", "liveness, no key needed"),
            Map.entry("/api/v1/keys/temporary-key", "authenticated by the operator's CERTS-TOKEN, not a tenant key "
                    + "(selectedTeamId is the operator's choice by design)"),
            Map.entry("/v3/api-docs", "the OpenAPI document"),
            Map.entry("/v3/api-docs.yaml", "the OpenAPI document"),
            Map.entry("/v3/api-docs/swagger-config", "Swagger UI configuration"),
            Map.entry("/swagger-ui.html", "redirects to Swagger UI"),
            Map.entry("/actuator/health", "health of the node (no tenant data)"),
            Map.entry("/actuator/health/**", "health of the node (no tenant data)"),
            Map.entry("/actuator/info", "build information"),
            Map.entry("/actuator", "the actuator index"),
            Map.entry("/audit/replay/{name}", "{name} is a projection's name, not a tenant's id; replays are global, "
                    + "so only the deployment's operators (keysmith.audit.replay-operators) may start one"));

    @Autowired
    ApplicationContext context;
    @Autowired
    MockMvc mvc;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @LocalServerPort
    int port;

    Api api;
    Receiver receiver;
    Workspace a;
    Workspace b;
    MockHttpSession bSession;

    record Call(String who, String method, String path, int status, String verdict) {
    }

    @BeforeAll
    void twoTenants() throws Exception {
        api = new Api(port);
        receiver = new Receiver();
        a = Workspace.create("alpha", accounts, keys, api, receiver);
        b = Workspace.create("bravo", accounts, keys, api, receiver);
        bSession = SignedIn.session(mvc, b.ownerEmail(), TestData.PASSWORD);
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void noRouteLetsOneTenantReachAnothersData() throws Exception {
        List<Route> routes = Routes.all(context);
        assertThat(routes).as("the handler mappings were read").hasSizeGreaterThan(40);
        List<Call> calls = new ArrayList<>();
        Set<String> skipped = new TreeSet<>();
        for (Route route : routes) {
            if (TENANT_FREE.containsKey(route.pattern())) {
                skipped.add(route.method() + " " + route.pattern() + " (" + TENANT_FREE.get(route.pattern()) + ")");
                continue;
            }
            List<String> variables = route.variables();
            // B with A's ids everywhere
            String targetOfA = Routes.fill(route, a, a);
            calls.add(call("B", route, targetOfA, variables.isEmpty(), a));
            // B's endpoint with A's delivery: a child id of another tenant under one's own parent
            if (variables.contains("deliveryId")) {
                calls.add(call("B", route, Routes.fill(route, b, a), false, a));
            }
            // A's key against B's ids
            if (route.api() && !variables.isEmpty()) {
                calls.add(callAsA(route, Routes.fill(route, b, b)));
            }
        }
        List<Call> succeeded = calls.stream()
                .filter(call -> !call.verdict().equals("refused") && !call.verdict().equals("own data only")).toList();
        System.out.printf("Tenant isolation matrix: %d routes, %d calls, %d succeeded; tenant-free routes: %s%n",
                routes.size(), calls.size(), succeeded.size(), skipped);
        calls.forEach(call -> System.out.println("  " + call));
        assertThat(succeeded).as("calls that reached another tenant's data").isEmpty();
        assertThat(calls.size()).isGreaterThan(60);

        // the matrix could have failed: B's session was signed in throughout, and A's own calls do show A's data
        assertThat(mvc.perform(request(HttpMethod.GET, "/keys").session(bSession)).andReturn().getResponse()
                .getContentAsString()).contains(b.keyName());
        assertThat(api.get("/api/v1/keys/" + a.keyId(), a.adminKey()).raw().body()).contains(a.marker());
        assertThat(api.post("/api/v1/keys/verify", a.adminKey(), Map.of("key", a.keySecret())).json().get("valid")
                .asBoolean()).isTrue();
        assertThat(mvc.perform(request(HttpMethod.GET, "/webhooks/" + b.endpointId() + "/deliveries/" + b.deliveryId())
                .session(bSession)).andReturn().getResponse().getStatus()).isEqualTo(200);
    }

    /**
     * One call as B. Without path variables the route is B's own (a list, a form, a create), so it may succeed,
     * but must not show A's data even with A's ids as filters; with path variables it must be refused.
     */
    private Call call(String who, Route route, String path, boolean ownRoute, Workspace victim) throws Exception {
        String url = path + "?" + query(a);
        int status;
        String body;
        if (route.api()) {
            Api.Response response = api.send(route.method(), url, b.adminKey(), bodyFor(route, a), Map.of());
            status = response.status();
            body = response.raw().body();
        } else {
            MvcResult result = mvc.perform(request(HttpMethod.valueOf(route.method()), url).session(bSession).with(csrf())
                    .param("name", "B's try").param("reason", "manual").param("role", "OWNER"))
                    .andReturn();
            status = result.getResponse().getStatus();
            body = result.getResponse().getContentAsString();
        }
        return new Call(who, route.method(), path, status, verdict(status, body, ownRoute));
    }

    private Call callAsA(Route route, String path) {
        Api.Response response = api.send(route.method(), path + "?" + query(b), a.adminKey(), bodyFor(route, b), Map.of());
        String body = response.raw().body();
        boolean showsB = body.contains(b.marker()) || body.contains(b.ownerEmail()) || body.contains(b.memberEmail());
        String verdict = showsB ? "showed B's data"
                : (response.status() == 404 || response.status() == 403) ? "refused" : "answered " + response.status();
        return new Call("A's key", route.method(), path, response.status(), verdict);
    }

    /** The id filters of every list route, naming the victim's objects (and an instant for time travel). */
    private static String query(Workspace victim) {
        return "keyId=" + victim.keyId() + "&endpointId=" + victim.endpointId() + "&key=" + victim.keyId()
                + "&endpoint=" + victim.endpointId() + "&at=" + java.time.Instant.now();
    }

    private String verdict(int status, String body, boolean ownRoute) {
        if (body != null && (body.contains(a.marker()) || body.contains(a.ownerEmail()) || body.contains(a.memberEmail()))) {
            return "showed A's data";
        }
        if (body != null && body.contains("\"valid\":true")) {
            return "verified A's key";
        }
        if (ownRoute) {
            return "own data only";  // B's own route (a list, a form, a create), and none of A's data in it
        }
        return status == 404 || status == 403 ? "refused" : "answered " + status;
    }

    /** A JSON body that every write route accepts the shape of, naming the victim's key where a body takes one. */
    private static Object bodyFor(Route route, Workspace victim) {
        if (route.method().equals("GET") || route.method().equals("DELETE")) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "B's try");
        body.put("key", victim.keySecret());
        body.put("enabled", false);
        body.put("gracePeriodSeconds", 0);
        body.put("from", "2020-01-01T00:00:00Z");
        body.put("to", "2100-01-01T00:00:00Z");
        return body;
    }
}
