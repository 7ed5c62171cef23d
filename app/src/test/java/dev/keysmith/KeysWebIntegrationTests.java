package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The API-key pages through the real web layer, facade and stores: create, edit, rotate, revoke, hide, roles. */
@KeysmithIntegrationTest
class KeysWebIntegrationTests {

    private static final Pattern LIVE_SECRET = Pattern.compile("ks_live_[0-9A-Za-z]{38}");
    private static final Pattern ANY_SECRET = Pattern.compile("ks_(live|dev|test)_[0-9A-Za-z]{38}");

    @Autowired
    MockMvc mvc;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys apiKeys;

    record Workspace(TenantId tenantId, String ownerEmail, MockHttpSession owner) {
    }

    @Test
    void aNewKeysSecretIsShownOnceAndNeverAgain() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        accounts.addBrand(ws.tenantId(), "Globex");

        MvcResult created = mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "Billing service").param("environment", "production")
                        .param("expires", "").param("ips", "203.0.113.7\r\n10.1.2.3/8, 2001:db8::/32")
                        .param("brand", "Globex"))
                .andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", containsString("no-store")))
                .andExpect(content().string(containsString("This is the only time the secret is shown: store it now")))
                .andReturn();
        String page = created.getResponse().getContentAsString();
        Matcher match = LIVE_SECRET.matcher(page);
        assertThat(match.find()).as("the secret is on the page").isTrue();
        String secret = match.group();
        assertThat(page).contains("id=\"copy-secret\"").contains("id=\"done\"");

        List<ApiKeyView> keys = apiKeys.list(ws.tenantId(), 0, 64, true);
        assertThat(keys).hasSize(1);
        ApiKeyView key = keys.get(0);
        assertThat(key.name()).isEqualTo("Billing service");
        assertThat(key.brand()).isEqualTo("Globex");
        assertThat(key.ips()).containsExactly("203.0.113.7", "10.0.0.0/8", "2001:db8::/32");
        assertThat(key.expires()).isNull();
        assertThat(secret).endsWith(key.last4()).startsWith(key.prefix());

        String table = mvc.perform(get("/keys").session(ws.owner()))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(table).doesNotContain(secret).contains(key.masked()).contains("Billing service")
                .contains("id=\"client-id\"").contains("id=\"new-key\"");
        assertThat(ANY_SECRET.matcher(table).find()).as("no full secret anywhere in the table").isFalse();
        String keyPage = mvc.perform(get("/keys/" + key.id().value()).session(ws.owner()))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(keyPage).doesNotContain(secret).contains(key.masked()).contains("203.0.113.7")
                .contains("2001:db8::/32");
        assertThat(ANY_SECRET.matcher(keyPage).find()).isFalse();
    }

    @Test
    void theTableGroupsKeysByEnvironmentAndSaysWhenOneIsEmpty() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        ApiKeys.IssuedKey sandbox = create(ws, "Sandbox tester", "sandbox", null);
        Instant expiry = LocalDate.now(ZoneOffset.UTC).plusDays(3).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        apiKeys.create(ws.tenantId(), new ApiKeys.NewKey("Short lived", "development", expiry, List.of(), null));

        String table = mvc.perform(get("/keys").session(ws.owner()))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(table).contains("id=\"empty-production\"").contains("No Production keys.")
                .contains("id=\"keys-sandbox\"").contains("id=\"keys-development\"")
                .contains(sandbox.key().masked())
                .contains(">" + LocalDate.now(ZoneOffset.UTC).plusDays(3) + "<")
                .contains("Expiring soon").contains("never");
        assertThat(table.indexOf("id=\"group-production\"")).isLessThan(table.indexOf("id=\"group-development\""));
        assertThat(table.indexOf("id=\"group-development\"")).isLessThan(table.indexOf("id=\"group-sandbox\""));
    }

    @Test
    void moreThan64KeysArePagedWithNextAndPrevious() throws Exception {
        String email = TestData.email("owner");
        Accounts.SignUp signUp = accounts.signUp("Many keys", email, TestData.PASSWORD, Plan.ENTERPRISE);
        MockHttpSession owner = signIn(email, TestData.PASSWORD);
        // Temporary keys skip the per-minute budget and the active-key limit, so 65 of them come quickly.
        for (int i = 0; i < 65; i++) {
            apiKeys.createTemporary(signUp.teamNumber(), "batch " + i, true);
        }
        String first = mvc.perform(get("/keys").session(owner))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(Pattern.compile("class=\"key-row").matcher(first).results().count()).isEqualTo(64);
        assertThat(first).contains("id=\"next-page\"").contains("/keys?offset=64")
                .doesNotContain("id=\"previous-page\"").contains("Temporary key (batch 0)");
        String second = mvc.perform(get("/keys").param("offset", "64").session(owner))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(Pattern.compile("class=\"key-row").matcher(second).results().count()).isEqualTo(1);
        assertThat(second).contains("id=\"previous-page\"").contains("/keys?offset=0")
                .doesNotContain("id=\"next-page\"").contains("Temporary key (batch 64)");
    }

    @Test
    void anExpiryDateMeansTheEndOfThatDayInUtc() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "Nightly export").param("environment", "development")
                        .param("expires", day.toString()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("ks_dev_")));
        ApiKeyView key = apiKeys.list(ws.tenantId(), 0, 64, false).get(0);
        assertThat(key.expires()).isEqualTo(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    @Test
    void badInputIsShownBesideEachFieldAndNothingIsStored() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        accounts.addBrand(ws.tenantId(), "Globex");
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();

        String page = mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "   ").param("environment", "production").param("expires", yesterday)
                        .param("ips", "10.0.0.0/33\n192.0.2.1").param("brand", "Initech"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(page, "name")).isEqualTo("Name is required.");
        assertThat(feedback(page, "expires")).contains("is in the past");
        assertThat(feedback(page, "ips")).contains("Not an IP address or CIDR range: 10.0.0.0/33");
        assertThat(feedback(page, "brand")).contains("Unknown brand \"Initech\"").contains("Globex");
        assertThat(page).contains("10.0.0.0/33\n192.0.2.1").contains("value=\"" + yesterday + "\"");

        String tooLong = mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "x".repeat(81)).param("environment", "production"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(tooLong, "name")).contains("81 characters long; at most 80 are allowed");

        String badEnvironment = mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "Billing").param("environment", "staging"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(badEnvironment, "environment")).contains("Unknown environment \"staging\"");

        String badDate = mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "Billing").param("environment", "production").param("expires", "31/12/2030"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(badDate, "expires")).contains("YYYY-MM-DD");

        assertThat(apiKeys.list(ws.tenantId(), 0, 64, true)).isEmpty();
    }

    @Test
    void aNameThatLooksLikeAPersonGetsAHintButIsNotBlocked() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        String failed = mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "Jane Doe").param("environment", "production").param("ips", "nonsense"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(failed).contains("id=\"name-hint\"").contains("looks like a person");
        assertThat(failed).doesNotContain("id=\"name-feedback\"");

        mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "jane@example.com").param("environment", "production"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("This is the only time the secret is shown")))
                .andExpect(content().string(containsString("looks like an email address")));
        assertThat(apiKeys.list(ws.tenantId(), 0, 64, false)).extracting(ApiKeyView::name)
                .containsExactly("jane@example.com");
        mvc.perform(get("/keys/new").session(ws.owner()))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("id=\"name-hint\""))));
    }

    @Test
    void theKeyLimitIsAReadableMessageOnTheForm() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        create(ws, "One", "production", null);
        create(ws, "Two", "production", null);
        mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "Three").param("environment", "production"))
                .andExpect(status().isConflict())
                .andExpect(content().string(containsString("id=\"create-refused\"")))
                .andExpect(content().string(containsString("Key limit reached.")))
                .andExpect(content().string(containsString("2 active keys per environment")))
                .andExpect(content().string(containsString("value=\"Three\"")));
        assertThat(apiKeys.list(ws.tenantId(), 0, 64, true)).hasSize(2);
    }

    @Test
    void theFreePlanHasNoNewKeyButtonAndCreatingSaysUpgradeRequired() throws Exception {
        Workspace ws = workspace(Plan.FREE);
        mvc.perform(get("/keys").session(ws.owner()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"upgrade-required\"")))
                .andExpect(content().string(not(containsString("id=\"new-key\""))));
        mvc.perform(post("/keys/new").session(ws.owner()).with(csrf())
                        .param("name", "Billing").param("environment", "production"))
                .andExpect(status().isForbidden())
                .andExpect(content().string(containsString("id=\"upgrade-required\"")))
                .andExpect(content().string(not(containsString("id=\"create-refused\"")))); // said once, not twice
        assertThat(apiKeys.list(ws.tenantId(), 0, 64, true)).isEmpty();
        mvc.perform(get("/keys/new").session(ws.owner()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"upgrade-required\"")))
                .andExpect(content().string(org.hamcrest.Matchers.matchesPattern(
                        "(?s).*id=\"create-key-submit\"\\s+disabled.*")));
    }

    @Test
    void editingChangesNameAndAllowlistOrShowsWhatIsWrongBesideTheField() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        ApiKeyId id = create(ws, "Billing", "production", null).key().id();

        String refused = mvc.perform(post("/keys/" + id.value()).session(ws.owner()).with(csrf())
                        .param("name", "").param("ips", "10.0.0.0/33"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(refused, "name")).isEqualTo("Name is required.");
        assertThat(feedback(refused, "ips")).contains("10.0.0.0/33");
        assertThat(apiKeys.find(ws.tenantId(), id).orElseThrow().name()).isEqualTo("Billing");

        mvc.perform(post("/keys/" + id.value()).session(ws.owner()).with(csrf())
                        .param("name", "Billing service").param("ips", "192.0.2.7, 10.1.0.0/16"))
                .andExpect(redirectedUrl("/keys/" + id.value()));
        ApiKeyView edited = apiKeys.find(ws.tenantId(), id).orElseThrow();
        assertThat(edited.name()).isEqualTo("Billing service");
        assertThat(edited.ips()).containsExactly("192.0.2.7", "10.1.0.0/16");
        mvc.perform(get("/keys/" + id.value()).session(ws.owner()))
                .andExpect(content().string(containsString("Saved the name and IP allowlist.")))
                .andExpect(content().string(containsString("10.1.0.0/16")));
    }

    @Test
    void rotatingShowsTheNewSecretOnceAndThePreviousSecretsDeadline() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        Instant expires = LocalDate.now(ZoneOffset.UTC).plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        ApiKeys.IssuedKey issued = apiKeys.create(ws.tenantId(),
                new ApiKeys.NewKey("Rotated", "production", expires, List.of(), null));
        ApiKeyId id = issued.key().id();

        String tooLong = mvc.perform(post("/keys/" + id.value() + "/rotate").session(ws.owner()).with(csrf())
                        .param("grace", "7d"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(tooLong, "grace")).contains("would end after the key itself expires");
        assertThat(apiKeys.find(ws.tenantId(), id).orElseThrow().rotatedAt()).isNull();

        String unknown = mvc.perform(post("/keys/" + id.value() + "/rotate").session(ws.owner()).with(csrf())
                        .param("grace", "forever"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(feedback(unknown, "grace")).contains("Choose a grace period");

        String rotated = mvc.perform(post("/keys/" + id.value() + "/rotate").session(ws.owner()).with(csrf())
                        .param("grace", "1h"))
                .andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", containsString("no-store")))
                .andExpect(content().string(containsString("This is the only time the secret is shown")))
                .andExpect(content().string(containsString("keeps working until")))
                .andReturn().getResponse().getContentAsString();
        Matcher match = LIVE_SECRET.matcher(rotated);
        assertThat(match.find()).isTrue();
        assertThat(match.group()).isNotEqualTo(issued.secret());

        ApiKeyView key = apiKeys.find(ws.tenantId(), id).orElseThrow();
        assertThat(key.rotatedAt()).isNotNull();
        assertThat(key.status(Instant.now())).isEqualTo(ApiKeyView.Status.ROTATING);
        String page = mvc.perform(get("/keys/" + id.value()).session(ws.owner()))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"key-rotated\"").contains("Rotated on").contains("previous secret works until")
                .doesNotContain(match.group()).doesNotContain(issued.secret());
    }

    @Test
    void revokedKeysStayMarkedUntilRemovedFromTheList() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        ApiKeyId id = create(ws, "Leaky", "production", null).key().id();

        mvc.perform(post("/keys/" + id.value() + "/hide").session(ws.owner()).with(csrf()))
                .andExpect(redirectedUrl("/keys/" + id.value()));
        mvc.perform(get("/keys/" + id.value()).session(ws.owner()))
                .andExpect(content().string(containsString("Only revoked or expired keys can be removed")));

        mvc.perform(post("/keys/" + id.value() + "/revoke").session(ws.owner()).with(csrf()).param("reason", "leaked"))
                .andExpect(redirectedUrl("/keys/" + id.value()));
        ApiKeyView revoked = apiKeys.find(ws.tenantId(), id).orElseThrow();
        assertThat(revoked.revocationReason()).isEqualTo(RevocationReason.LEAKED);
        mvc.perform(get("/keys/" + id.value()).session(ws.owner()))
                .andExpect(content().string(containsString("id=\"key-revoked\"")))
                .andExpect(content().string(containsString("Leaked")))
                .andExpect(content().string(containsString("id=\"hide-key-form\"")))
                .andExpect(content().string(not(containsString("id=\"rotate-key-form\""))));
        mvc.perform(get("/keys").session(ws.owner()))
                .andExpect(content().string(containsString("key-inactive")))
                .andExpect(content().string(containsString("Revoked")))
                .andExpect(content().string(containsString("Remove from list")));

        mvc.perform(get("/keys").session(ws.owner()))
                .andExpect(content().string(not(containsString("id=\"show-removed\""))));
        mvc.perform(post("/keys/" + id.value() + "/hide").session(ws.owner()).with(csrf()))
                .andExpect(redirectedUrl("/keys"));
        mvc.perform(get("/keys").session(ws.owner()))
                .andExpect(content().string(not(containsString(id.value()))))
                .andExpect(content().string(containsString("No Production keys.")));
        mvc.perform(get("/keys").session(ws.owner()))
                .andExpect(content().string(containsString("id=\"show-removed\"")));
        mvc.perform(get("/keys").param("all", "true").session(ws.owner()))
                .andExpect(content().string(containsString("id=\"hide-removed\"")))
                .andExpect(content().string(containsString(id.value())))
                .andExpect(content().string(containsString("Removed from list")));
    }

    @Test
    void developersAndAuditorsReadButEveryWriteIsForbidden() throws Exception {
        for (Role role : List.of(Role.DEVELOPER, Role.AUDITOR)) {
            Workspace ws = workspace(Plan.PRO);
            ApiKeyId id = create(ws, "Payments", "production", null).key().id();
            String email = TestData.email(role.name().toLowerCase());
            MemberId member = accounts.addMember(ws.tenantId(), email, role, "initial password 1");
            accounts.changePassword(ws.tenantId(), member, "initial password 1", TestData.PASSWORD);
            MockHttpSession reader = signIn(email, TestData.PASSWORD);

            mvc.perform(get("/keys").session(reader))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("Payments")))
                    .andExpect(content().string(not(containsString("id=\"new-key\""))))
                    .andExpect(content().string(not(containsString("key-manage"))))
                    .andExpect(content().string(not(containsString("Actions"))));
            mvc.perform(get("/keys/" + id.value()).session(reader))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("id=\"key-details\"")))
                    .andExpect(content().string(not(containsString("id=\"edit-key-form\""))))
                    .andExpect(content().string(not(containsString("id=\"rotate-key-form\""))))
                    .andExpect(content().string(not(containsString("id=\"revoke-key-form\""))));
            mvc.perform(get("/keys/new").session(reader)).andExpect(status().isForbidden());

            List<MockHttpServletRequestBuilder> writes = List.of(
                    post("/keys/new").param("name", "Sneaky").param("environment", "sandbox"),
                    post("/keys/" + id.value()).param("name", "Renamed").param("ips", "10.0.0.1"),
                    post("/keys/" + id.value() + "/rotate").param("grace", "none"),
                    post("/keys/" + id.value() + "/revoke").param("reason", "leaked"),
                    post("/keys/" + id.value() + "/hide"));
            for (MockHttpServletRequestBuilder write : writes) {
                mvc.perform(write.session(reader).with(csrf()))
                        .andExpect(status().isForbidden())
                        .andExpect(content().string(containsString("Only owners and admins")));
            }
            List<ApiKeyView> keys = apiKeys.list(ws.tenantId(), 0, 64, true);
            assertThat(keys).hasSize(1);
            ApiKeyView key = keys.get(0);
            assertThat(key.name()).isEqualTo("Payments");
            assertThat(key.ips()).isEmpty();
            assertThat(key.rotatedAt()).isNull();
            assertThat(key.revokedAt()).isNull();
        }
    }

    @Test
    void anotherTenantsKeyAnswers404AndChangesNothing() throws Exception {
        Workspace mine = workspace(Plan.PRO);
        Workspace theirs = workspace(Plan.PRO);
        ApiKeyId theirKey = create(theirs, "Theirs", "production", null).key().id();

        mvc.perform(get("/keys/" + theirKey.value()).session(mine.owner())).andExpect(status().isNotFound());
        mvc.perform(get("/keys/not-a-key-id").session(mine.owner())).andExpect(status().isNotFound());
        List<MockHttpServletRequestBuilder> writes = List.of(
                post("/keys/" + theirKey.value()).param("name", "Mine now").param("ips", ""),
                post("/keys/" + theirKey.value() + "/rotate").param("grace", "none"),
                post("/keys/" + theirKey.value() + "/revoke").param("reason", "manual"),
                post("/keys/" + theirKey.value() + "/hide"),
                post("/keys/key_0000000000000000/revoke"),
                post("/keys/not-a-key-id/rotate"));
        for (MockHttpServletRequestBuilder write : writes) {
            mvc.perform(write.session(mine.owner()).with(csrf())).andExpect(status().isNotFound());
        }
        ApiKeyView key = apiKeys.find(theirs.tenantId(), theirKey).orElseThrow();
        assertThat(key.name()).isEqualTo("Theirs");
        assertThat(key.rotatedAt()).isNull();
        assertThat(key.revokedAt()).isNull();
        mvc.perform(get("/keys").session(mine.owner()))
                .andExpect(content().string(not(containsString(theirKey.value()))));
    }

    @Test
    void userTextIsEscaped() throws Exception {
        Workspace ws = workspace(Plan.PRO);
        create(ws, "<script>alert(1)</script>", "sandbox", null);
        mvc.perform(get("/keys").session(ws.owner()))
                .andExpect(content().string(not(containsString("<script>alert(1)</script>"))))
                .andExpect(content().string(containsString("&lt;script&gt;alert(1)&lt;/script&gt;")));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Workspace workspace(Plan plan) throws Exception {
        String email = TestData.email("owner");
        Accounts.SignUp signUp = accounts.signUp("Keys " + plan.label(), email, TestData.PASSWORD, plan);
        return new Workspace(signUp.tenantId(), email, signIn(email, TestData.PASSWORD));
    }

    private ApiKeys.IssuedKey create(Workspace ws, String name, String environment, String brand) {
        return apiKeys.create(ws.tenantId(), new ApiKeys.NewKey(name, environment, null, List.of(), brand));
    }

    private MockHttpSession signIn(String email, String password) throws Exception {
        MvcResult result = mvc.perform(post("/login").with(csrf()).param("email", email).param("password", password))
                .andExpect(redirectedUrl("/"))
                .andReturn();
        return (MockHttpSession) result.getRequest().getSession();
    }

    /** The text of the message shown beside a field (the element with id {@code <field>-feedback}). */
    private static String feedback(String html, String field) {
        Matcher matcher = Pattern.compile("id=\"" + Pattern.quote(field) + "-feedback\"[^>]*>([^<]*)<").matcher(html);
        assertThat(matcher.find()).as("a message beside " + field).isTrue();
        return org.springframework.web.util.HtmlUtils.htmlUnescape(matcher.group(1)).strip();
    }
}
