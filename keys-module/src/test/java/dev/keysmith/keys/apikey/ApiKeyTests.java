package dev.keysmith.keys.apikey;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keysmith.keys.ApiKeyCommands.ChangeApiKeyIpAllowlist;
import dev.keysmith.keys.ApiKeyCommands.CreateApiKey;
import dev.keysmith.keys.ApiKeyCommands.ExpireApiKey;
import dev.keysmith.keys.ApiKeyCommands.HideApiKey;
import dev.keysmith.keys.ApiKeyCommands.RenameApiKey;
import dev.keysmith.keys.ApiKeyCommands.RevokeApiKey;
import dev.keysmith.keys.ApiKeyCommands.RecordApiKeyUsage;
import dev.keysmith.keys.ApiKeyCommands.RecordApiKeyUsageSpike;
import dev.keysmith.keys.ApiKeyCommands.SettleApiKeyUsage;
import dev.keysmith.keys.events.ApiKeyUsageSettled;
import dev.keysmith.keys.events.ApiKeyUsageSpiked;
import dev.keysmith.keys.ApiKeyCommands.RotateApiKey;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.PlanLimits;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.ApiKeyExpired;
import dev.keysmith.keys.events.ApiKeyHidden;
import dev.keysmith.keys.events.ApiKeyIpAllowlistChanged;
import dev.keysmith.keys.events.ApiKeyRenamed;
import dev.keysmith.keys.events.ApiKeyRevoked;
import dev.keysmith.keys.events.ApiKeyRotated;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ApiKey aggregate in Axon's given-when-then fixture, with a real {@link KeySlots}: H2 in memory with the app's
 * V2 migration, a JdbcTemplate and a DataSourceTransactionManager; each create carries the plan its sender read
 * (PlanLimits.defaults(): Pro 5 per workspace / 2 per environment, Enterprise 50 / 10, Free none).
 * Time is the fixture's: the aggregate reads GenericEventMessage.clock, which the fixture pins to currentTime().
 * One fixture holds one aggregate, so scenarios with several keys use one fixture per key.
 */
class ApiKeyTests {

    static final Path V2_DDL = Path.of("app/src/main/resources/db/migration/h2/V2__key_slots.sql");

    final TenantId pro = TenantId.generate();
    final TenantId enterprise = TenantId.generate();
    final TenantId free = TenantId.generate();
    final TenantId other = TenantId.generate();
    /** Real time, to the second: KeySlots compares slot expiries with Instant.now(), the aggregate with the fixture. */
    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    DriverManagerDataSource dataSource;
    JdbcTemplate jdbc;
    /** The plan each command's sender read (a tenant not in it counts as Free). */
    final Map<TenantId, Plan> plans = new HashMap<>(Map.of(pro, Plan.PRO, enterprise, Plan.ENTERPRISE, free, Plan.FREE,
            other, Plan.PRO));
    /** The environments the aggregate asked new secrets for, and the secret a rotation gets (set by a test). */
    final List<Environment> issuedFor = new ArrayList<>();
    KeySecrets.NewSecret nextSecret = KeySecrets.generate(Environment.PRODUCTION);
    final SecretIssuer issuer = environment -> {
        issuedFor.add(environment);
        return nextSecret;
    };
    KeySlots slots;
    AggregateTestFixture<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:slots_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        new ResourceDatabasePopulator(new FileSystemResource(ddl())).execute(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        slots = new KeySlots(jdbc, new DataSourceTransactionManager(dataSource), PlanLimits.defaults());
        fixture = newFixture();
    }

    @AfterEach
    void dropDatabase() {
        jdbc.execute("SHUTDOWN");
    }

    /** The V2 migration of the app module, found from the module directory (surefire) or the repository root. */
    static Path ddl() {
        for (Path candidate : List.of(Path.of("..").resolve(V2_DDL), V2_DDL)) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find " + V2_DDL + " from " + Path.of("").toAbsolutePath());
    }

    AggregateTestFixture<ApiKey> newFixture() {
        AggregateTestFixture<ApiKey> f = new AggregateTestFixture<>(ApiKey.class);
        f.registerInjectableResource(slots);
        f.registerInjectableResource(issuer);
        return f;
    }

    // ---- commands, events and helpers ----

    CreateApiKey create(TenantId tenant, Environment environment, Instant expires, boolean temporary) {
        KeySecrets.NewSecret secret = KeySecrets.generate(environment);
        return new CreateApiKey(ApiKeyId.generate(), tenant, "Billing sync", environment, "Acme",
                List.of("10.0.0.0/8"), expires, secret.hash(), secret.prefix(), secret.last4(), temporary,
                plans.getOrDefault(tenant, Plan.FREE));
    }

    CreateApiKey create(TenantId tenant, Environment environment) {
        return create(tenant, environment, null, false);
    }

    static ApiKeyCreated created(CreateApiKey c) {
        return new ApiKeyCreated(c.keyId(), c.tenantId(), c.name(), c.environment(), c.brand(), c.ips(), c.expires(),
                c.hash(), c.prefix(), c.last4(), c.temporary());
    }

    static RotateApiKey rotate(ApiKeyId id, TenantId tenant, Duration grace) {
        return new RotateApiKey(id, tenant, grace);
    }

    /** Creates a key through its own fixture (taking a slot), asserting that it succeeds. */
    CreateApiKey issue(CreateApiKey command) {
        newFixture().givenNoPriorActivity().when(command).expectSuccessfulHandlerExecution()
                .expectEvents(created(command));
        return command;
    }

    void revokeThroughFixture(CreateApiKey key) {
        newFixture().given(created(key)).when(new RevokeApiKey(key.keyId(), key.tenantId(), RevocationReason.MANUAL))
                .expectSuccessfulHandlerExecution();
    }

    int activeSlots(TenantId tenant) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM key_slots WHERE tenant_id = ? AND active = TRUE",
                Integer.class, tenant.value());
    }

    Boolean slotActive(ApiKeyId key) {
        List<Boolean> rows = jdbc.queryForList("SELECT active FROM key_slots WHERE key_id = ?", Boolean.class,
                key.value());
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** A KeysmithException of exactly this type and code that also passes {@code more}. */
    static Matcher<Throwable> refusal(Class<? extends KeysmithException> type, String code,
                                      Predicate<KeysmithException> more, String moreDescription) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item, Description mismatch) {
                if (item.getClass() != type) {
                    mismatch.appendText("was ").appendValue(item);
                    return false;
                }
                KeysmithException e = (KeysmithException) item;
                if (!code.equals(e.code())) {
                    mismatch.appendText("code was ").appendValue(e.code());
                    return false;
                }
                if (!more.test(e)) {
                    mismatch.appendText("did not satisfy " + moreDescription + ": ").appendValue(e)
                            .appendText(" details ").appendValue(e.details());
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(type.getSimpleName() + " with code ").appendValue(code)
                        .appendText(moreDescription.isEmpty() ? "" : " and " + moreDescription);
            }
        };
    }

    static Matcher<Throwable> refusal(Class<? extends KeysmithException> type, String code) {
        return refusal(type, code, e -> true, "");
    }

    static Matcher<Throwable> limitReached(int limit) {
        return refusal(KeysmithException.Conflict.class, "key_limit_reached",
                e -> Integer.valueOf(limit).equals(e.details().get("limit")), "details limit=" + limit);
    }

    static Matcher<Throwable> invalidGrace() {
        return refusal(KeysmithException.InvalidInput.class, "invalid_grace_period_seconds",
                e -> "gracePeriodSeconds".equals(((KeysmithException.InvalidInput) e).field()),
                "field gracePeriodSeconds");
    }

    // ---- create ----

    @Nested
    class Create {

        @Test
        void createsTheKeyWithHashPrefixAndLast4AndTakesASlot() {
            KeySecrets.NewSecret secret = KeySecrets.generate(Environment.PRODUCTION);
            ApiKeyId id = ApiKeyId.generate();
            Instant expires = t0.plus(Duration.ofDays(30));
            CreateApiKey command = new CreateApiKey(id, pro, "Billing sync", Environment.PRODUCTION, "Acme",
                    List.of("10.0.0.0/8", "2001:db8::/32"), expires, secret.hash(), secret.prefix(), secret.last4(),
                    false, Plan.PRO);

            fixture.givenNoPriorActivity().when(command).expectSuccessfulHandlerExecution()
                    .expectEvents(new ApiKeyCreated(id, pro, "Billing sync", Environment.PRODUCTION, "Acme",
                            List.of("10.0.0.0/8", "2001:db8::/32"), expires, KeySecrets.sha256(secret.plaintext()),
                            secret.plaintext().substring(0, 12), secret.plaintext().substring(42), false));

            assertThat(slotActive(id)).isTrue();
            assertThat(jdbc.queryForMap("SELECT tenant_id, environment, expires_at FROM key_slots WHERE key_id = ?",
                    id.value()))
                    .containsEntry("TENANT_ID", pro.value())
                    .containsEntry("ENVIRONMENT", "PRODUCTION")
                    .containsEntry("EXPIRES_AT", java.sql.Timestamp.from(expires));
        }

        @Test
        void theStoredEventNeverContainsThePlaintextKey() throws Exception {
            KeySecrets.NewSecret secret = KeySecrets.generate(Environment.DEVELOPMENT);
            ApiKeyId id = ApiKeyId.generate();
            fixture.givenNoPriorActivity().when(new CreateApiKey(id, pro, "CI", Environment.DEVELOPMENT, null,
                            List.of(), null, secret.hash(), secret.prefix(), secret.last4(), false, Plan.PRO))
                    .expectSuccessfulHandlerExecution();

            List<? extends DomainEventMessage<?>> stored = fixture.getEventStore().readEvents(id.value()).asStream()
                    .toList();
            assertThat(stored).hasSize(1);
            Object payload = stored.get(0).getPayload();
            assertThat(payload).isInstanceOf(ApiKeyCreated.class);
            String json = JsonMapper.builder().findAndAddModules().build().writeValueAsString(payload);
            String randomPart = secret.plaintext().substring("ks_dev_".length());
            assertThat(json).contains(secret.hash()).doesNotContain(secret.plaintext()).doesNotContain(randomPart);
            assertThat(payload.toString()).doesNotContain(secret.plaintext()).doesNotContain(randomPart);
        }

        @Test
        void theFreePlanHasNoKeys() {
            CreateApiKey command = create(free, Environment.PRODUCTION);
            fixture.givenNoPriorActivity().when(command)
                    .expectException(refusal(KeysmithException.Forbidden.class, "plan_upgrade_required"))
                    .expectNoEvents();
            assertThat(slotActive(command.keyId())).isNull();
        }

        @Test
        void aTenantTheDirectoryDoesNotKnowCountsAsFree() {
            fixture.givenNoPriorActivity().when(create(TenantId.generate(), Environment.SANDBOX))
                    .expectException(refusal(KeysmithException.Forbidden.class, "plan_upgrade_required"))
                    .expectNoEvents();
        }

        @Test
        void afterAnUpgradeTheDirectoryGivesThePlanAndCreationWorks() {
            plans.put(free, Plan.PRO);
            issue(create(free, Environment.PRODUCTION));
            assertThat(activeSlots(free)).isEqualTo(1);
        }

        @Test
        void theThirdProductionKeyOfAProTenantIsRefusedWithThePerEnvironmentLimit() {
            issue(create(pro, Environment.PRODUCTION));
            issue(create(pro, Environment.PRODUCTION));
            CreateApiKey third = create(pro, Environment.PRODUCTION);

            fixture.givenNoPriorActivity().when(third).expectException(limitReached(2)).expectNoEvents();

            assertThat(slotActive(third.keyId())).isNull();
            assertThat(activeSlots(pro)).isEqualTo(2);
            issue(create(pro, Environment.DEVELOPMENT));
        }

        @Test
        void theSixthKeyOfAProTenantIsRefusedWithThePerWorkspaceLimit() {
            issue(create(pro, Environment.PRODUCTION));
            issue(create(pro, Environment.PRODUCTION));
            issue(create(pro, Environment.DEVELOPMENT));
            issue(create(pro, Environment.DEVELOPMENT));
            issue(create(pro, Environment.SANDBOX));

            fixture.givenNoPriorActivity().when(create(pro, Environment.SANDBOX))
                    .expectException(limitReached(5)).expectNoEvents();
            assertThat(activeSlots(pro)).isEqualTo(5);
        }

        @Test
        void limitsFollowThePlanEnterpriseAllowsMoreThanTwoPerEnvironment() {
            for (int i = 0; i < 10; i++) {
                issue(create(enterprise, Environment.PRODUCTION));
            }
            fixture.givenNoPriorActivity().when(create(enterprise, Environment.PRODUCTION))
                    .expectException(limitReached(10)).expectNoEvents();
        }

        @Test
        void anotherTenantsKeysDoNotCountAgainstThisTenant() {
            issue(create(other, Environment.PRODUCTION));
            issue(create(other, Environment.PRODUCTION));
            issue(create(pro, Environment.PRODUCTION));
            issue(create(pro, Environment.PRODUCTION));
            assertThat(activeSlots(pro)).isEqualTo(2);
            assertThat(activeSlots(other)).isEqualTo(2);
        }

        @Test
        void aRevokedKeyFreesItsSlot() {
            CreateApiKey first = issue(create(pro, Environment.PRODUCTION));
            issue(create(pro, Environment.PRODUCTION));
            fixture.givenNoPriorActivity().when(create(pro, Environment.PRODUCTION)).expectException(limitReached(2));

            revokeThroughFixture(first);

            assertThat(slotActive(first.keyId())).isFalse();
            issue(create(pro, Environment.PRODUCTION));
            assertThat(activeSlots(pro)).isEqualTo(2);
        }

        @Test
        void anExpiredKeyFreesItsSlotWhenTheExpiryIsRecorded() {
            CreateApiKey expiring = issue(create(pro, Environment.PRODUCTION, t0.plus(Duration.ofDays(1)), false));
            issue(create(pro, Environment.PRODUCTION));

            newFixture().givenCurrentTime(t0).andGiven(created(expiring))
                    .andGivenCurrentTime(t0.plus(Duration.ofDays(1)))
                    .when(new ExpireApiKey(expiring.keyId(), pro))
                    .expectEvents(new ApiKeyExpired(expiring.keyId(), pro, expiring.expires()));

            assertThat(slotActive(expiring.keyId())).isFalse();
            issue(create(pro, Environment.PRODUCTION));
        }

        @Test
        void aSlotWhoseKeyIsPastItsExpiryDoesNotCountEvenBeforeTheSweeperRecordsIt() {
            slots.reserve(pro, Plan.PRO, ApiKeyId.generate(), Environment.PRODUCTION, Instant.now().minusSeconds(60));
            slots.reserve(pro, Plan.PRO, ApiKeyId.generate(), Environment.PRODUCTION, Instant.now().minusSeconds(60));
            issue(create(pro, Environment.PRODUCTION));
            issue(create(pro, Environment.PRODUCTION));
            fixture.givenNoPriorActivity().when(create(pro, Environment.PRODUCTION)).expectException(limitReached(2));
        }

        @Test
        void temporaryKeysTakeNoSlot() {
            issue(create(pro, Environment.PRODUCTION));
            issue(create(pro, Environment.PRODUCTION));
            CreateApiKey temporary = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofMinutes(15)), true);

            fixture.givenNoPriorActivity().when(temporary).expectSuccessfulHandlerExecution()
                    .expectEvents(created(temporary));

            assertThat(slotActive(temporary.keyId())).isNull();
            assertThat(activeSlots(pro)).isEqualTo(2);
        }

        @Test
        void everyReservationBumpsTheTenantsLockRow() {
            issue(create(pro, Environment.PRODUCTION));
            long afterFirst = jdbc.queryForObject("SELECT version FROM key_slot_locks WHERE tenant_id = ?", Long.class,
                    pro.value());
            issue(create(pro, Environment.SANDBOX));
            long afterSecond = jdbc.queryForObject("SELECT version FROM key_slot_locks WHERE tenant_id = ?",
                    Long.class, pro.value());
            assertThat(afterFirst).isPositive();
            assertThat(afterSecond).isEqualTo(afterFirst + 1);
        }
    }

    // ---- rename and allowlist ----

    @Nested
    class RenameAndAllowlist {

        final CreateApiKey key = create(pro, Environment.PRODUCTION);

        @Test
        void renameEmitsFromAndTo() {
            fixture.given(created(key)).when(new RenameApiKey(key.keyId(), pro, "Nightly export"))
                    .expectEvents(new ApiKeyRenamed(key.keyId(), pro, "Billing sync", "Nightly export"));
        }

        @Test
        void renameAnswersWithTheWholeKeyAsTheTableWillShowIt() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .when(new RenameApiKey(key.keyId(), pro, "Nightly export"))
                    .expectResultMessagePayload(new ApiKeyView(key.keyId(), pro, "Nightly export",
                            Environment.PRODUCTION, "Acme", List.of("10.0.0.0/8"), key.prefix(), key.last4(), t0,
                            null, null, 0, null, null, null, null, false, false, false));
        }

        @Test
        void renameUsesTheLatestName() {
            fixture.given(created(key), new ApiKeyRenamed(key.keyId(), pro, "Billing sync", "Second"))
                    .when(new RenameApiKey(key.keyId(), pro, "Third"))
                    .expectEvents(new ApiKeyRenamed(key.keyId(), pro, "Second", "Third"));
        }

        @Test
        void renameToTheSameNameEmitsNothing() {
            fixture.given(created(key)).when(new RenameApiKey(key.keyId(), pro, "Billing sync"))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void renamingARevokedKeyIsRefused() {
            fixture.given(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.MANUAL))
                    .when(new RenameApiKey(key.keyId(), pro, "Other"))
                    .expectException(refusal(KeysmithException.Conflict.class, "key_inactive")).expectNoEvents();
        }

        @Test
        void renamingAKeyPastItsExpiryIsRefusedEvenBeforeTheExpiryIsRecorded() {
            CreateApiKey expiring = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofHours(1)), false);
            fixture.givenCurrentTime(t0).andGiven(created(expiring))
                    .andGivenCurrentTime(t0.plus(Duration.ofHours(1)))
                    .when(new RenameApiKey(expiring.keyId(), pro, "Other"))
                    .expectException(refusal(KeysmithException.Conflict.class, "key_inactive")).expectNoEvents();
        }

        @Test
        void renamingAKeyJustBeforeItsExpiryWorks() {
            CreateApiKey expiring = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofHours(1)), false);
            fixture.givenCurrentTime(t0).andGiven(created(expiring))
                    .andGivenCurrentTime(t0.plus(Duration.ofHours(1)).minusMillis(1))
                    .when(new RenameApiKey(expiring.keyId(), pro, "Other"))
                    .expectEvents(new ApiKeyRenamed(expiring.keyId(), pro, "Billing sync", "Other"));
        }

        @Test
        void renamingAKeyWhoseExpiryWasRecordedIsRefused() {
            CreateApiKey expiring = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofHours(1)), false);
            fixture.givenCurrentTime(t0)
                    .andGiven(created(expiring), new ApiKeyExpired(expiring.keyId(), pro, expiring.expires()))
                    .when(new RenameApiKey(expiring.keyId(), pro, "Other"))
                    .expectException(refusal(KeysmithException.Conflict.class, "key_inactive"));
        }

        @Test
        void changingTheAllowlistEmitsFromAndTo() {
            fixture.given(created(key))
                    .when(new ChangeApiKeyIpAllowlist(key.keyId(), pro, List.of("203.0.113.7", "2001:db8::/32")))
                    .expectEvents(new ApiKeyIpAllowlistChanged(key.keyId(), pro, List.of("10.0.0.0/8"),
                            List.of("203.0.113.7", "2001:db8::/32")));
        }

        @Test
        void clearingTheAllowlistIsAChange() {
            fixture.given(created(key)).when(new ChangeApiKeyIpAllowlist(key.keyId(), pro, List.of()))
                    .expectEvents(new ApiKeyIpAllowlistChanged(key.keyId(), pro, List.of("10.0.0.0/8"), List.of()));
        }

        @Test
        void theSameAllowlistEmitsNothingAndTheLatestOneIsCompared() {
            fixture.given(created(key),
                            new ApiKeyIpAllowlistChanged(key.keyId(), pro, List.of("10.0.0.0/8"), List.of("192.0.2.1")))
                    .when(new ChangeApiKeyIpAllowlist(key.keyId(), pro, List.of("192.0.2.1")))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void changingTheAllowlistOfARevokedKeyIsRefused() {
            fixture.given(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.LEAKED))
                    .when(new ChangeApiKeyIpAllowlist(key.keyId(), pro, List.of("192.0.2.1")))
                    .expectException(refusal(KeysmithException.Conflict.class, "key_inactive")).expectNoEvents();
        }
    }

    // ---- rotate ----

    @Nested
    class Rotate {

        final CreateApiKey key = create(pro, Environment.PRODUCTION);
        final KeySecrets.NewSecret next = KeySecrets.generate(Environment.PRODUCTION);

        @BeforeEach
        void issueNext() {
            nextSecret = next;
        }

        @Test
        void theNewSecretIsOfTheKeysEnvironmentAndReachesTheCallerInTheResultOnly() {
            CreateApiKey development = create(pro, Environment.DEVELOPMENT);
            nextSecret = KeySecrets.generate(Environment.DEVELOPMENT);
            fixture.givenCurrentTime(t0).andGiven(created(development))
                    .when(rotate(development.keyId(), pro, Duration.ofHours(1)))
                    .expectEvents(new ApiKeyRotated(development.keyId(), pro, nextSecret.hash(), nextSecret.prefix(),
                            nextSecret.last4(), development.hash(), t0.plus(Duration.ofHours(1))))
                    .expectResultMessagePayload(new ApiKeys.IssuedKey(new ApiKeyView(development.keyId(), pro,
                            "Billing sync", Environment.DEVELOPMENT, "Acme", List.of("10.0.0.0/8"), nextSecret.prefix(),
                            nextSecret.last4(), t0, null, null, 0, t0, t0.plus(Duration.ofHours(1)), null, null, false,
                            false, false), nextSecret.plaintext()));
            assertThat(issuedFor).containsExactly(Environment.DEVELOPMENT);
        }

        @Test
        void withoutGraceThePreviousSecretEndsAtTheRotationInstant() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .when(rotate(key.keyId(), pro, null))
                    .expectEvents(new ApiKeyRotated(key.keyId(), pro, next.hash(), next.prefix(), next.last4(),
                            key.hash(), fixture.currentTime()));
            assertThat(fixture.currentTime()).isEqualTo(t0);
        }

        @Test
        void aZeroGraceIsTheSameAsNone() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .when(rotate(key.keyId(), pro, Duration.ZERO))
                    .expectEvents(new ApiKeyRotated(key.keyId(), pro, next.hash(), next.prefix(), next.last4(),
                            key.hash(), t0));
        }

        @Test
        void withOneHourGraceThePreviousSecretWorksOneHourLonger() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .when(rotate(key.keyId(), pro, Duration.ofHours(1)))
                    .expectEvents(new ApiKeyRotated(key.keyId(), pro, next.hash(), next.prefix(), next.last4(),
                            key.hash(), fixture.currentTime().plus(Duration.ofHours(1))));
        }

        @Test
        void aSecondRotationReplacesTheCurrentNotTheOriginalSecret() {
            KeySecrets.NewSecret first = KeySecrets.generate(Environment.PRODUCTION);
            fixture.givenCurrentTime(t0).andGiven(created(key),
                            new ApiKeyRotated(key.keyId(), pro, first.hash(), first.prefix(), first.last4(), key.hash(), t0))
                    .when(rotate(key.keyId(), pro, null))
                    .expectEvents(new ApiKeyRotated(key.keyId(), pro, next.hash(), next.prefix(), next.last4(),
                            first.hash(), t0));
        }

        @Test
        void exactlySevenDaysOfGraceIsAllowed() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .when(rotate(key.keyId(), pro, Duration.ofDays(7)))
                    .expectEvents(new ApiKeyRotated(key.keyId(), pro, next.hash(), next.prefix(), next.last4(),
                            key.hash(), t0.plus(Duration.ofDays(7))));
        }

        @Test
        void graceLongerThanSevenDaysIsInvalid() {
            fixture.given(created(key)).when(rotate(key.keyId(), pro, Duration.ofDays(7).plusSeconds(1)))
                    .expectException(invalidGrace()).expectNoEvents();
        }

        @Test
        void negativeGraceIsInvalid() {
            fixture.given(created(key)).when(rotate(key.keyId(), pro, Duration.ofSeconds(-1)))
                    .expectException(invalidGrace()).expectNoEvents();
        }

        @Test
        void graceEndingAfterTheKeysExpiryIsInvalid() {
            CreateApiKey expiring = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofHours(2)), false);
            fixture.givenCurrentTime(t0).andGiven(created(expiring))
                    .when(rotate(expiring.keyId(), pro, Duration.ofHours(2).plusSeconds(1)))
                    .expectException(invalidGrace()).expectNoEvents();
        }

        @Test
        void graceEndingExactlyAtTheKeysExpiryIsAllowed() {
            CreateApiKey expiring = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofHours(2)), false);
            fixture.givenCurrentTime(t0).andGiven(created(expiring))
                    .when(rotate(expiring.keyId(), pro, Duration.ofHours(2)))
                    .expectEvents(new ApiKeyRotated(expiring.keyId(), pro, next.hash(), next.prefix(), next.last4(),
                            expiring.hash(), expiring.expires()));
        }

        @Test
        void rotatingARevokedKeyIsRefused() {
            fixture.given(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.MANUAL))
                    .when(rotate(key.keyId(), pro, null))
                    .expectException(refusal(KeysmithException.Conflict.class, "key_inactive")).expectNoEvents();
        }

        @Test
        void rotatingAnExpiredKeyIsRefused() {
            CreateApiKey expiring = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofHours(2)), false);
            fixture.givenCurrentTime(t0).andGiven(created(expiring))
                    .andGivenCurrentTime(t0.plus(Duration.ofHours(3)))
                    .when(rotate(expiring.keyId(), pro, null))
                    .expectException(refusal(KeysmithException.Conflict.class, "key_inactive")).expectNoEvents();
        }
    }

    // ---- revoke ----

    @Nested
    class Revoke {

        final CreateApiKey key = create(pro, Environment.PRODUCTION);

        @Test
        void revokeEmitsTheReason() {
            fixture.given(created(key)).when(new RevokeApiKey(key.keyId(), pro, RevocationReason.LEAKED))
                    .expectEvents(new ApiKeyRevoked(key.keyId(), pro, RevocationReason.LEAKED));
        }

        @Test
        void revokingTwiceIsAConflict() {
            fixture.given(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.MANUAL))
                    .when(new RevokeApiKey(key.keyId(), pro, RevocationReason.MANUAL))
                    .expectException(refusal(KeysmithException.Conflict.class, "key_already_revoked"))
                    .expectNoEvents();
        }

        @Test
        void aRefusedRevocationLeavesTheSlotAlone() {
            CreateApiKey issued = issue(create(pro, Environment.PRODUCTION));
            newFixture().given(created(issued)).when(new RevokeApiKey(issued.keyId(), other, RevocationReason.MANUAL))
                    .expectException(refusal(KeysmithException.NotFound.class, "key_not_found"));
            assertThat(slotActive(issued.keyId())).isTrue();
        }
    }

    // ---- usage ----

    @Nested
    class Usage {

        final CreateApiKey key = create(pro, Environment.PRODUCTION);
        final Instant first = Instant.parse("2026-11-23T10:00:00Z");
        final Instant last = Instant.parse("2026-11-23T10:00:09Z");

        RecordApiKeyUsage usage(TenantId tenant, Map<String, Long> counts) {
            return new RecordApiKeyUsage(key.keyId(), tenant, counts, first, last, "203.0.113.7",
                    List.of("203.0.113.7", "198.51.100.1"));
        }

        @Test
        void usageCarriesTheCountsAndARunningTotal() {
            fixture.given(created(key), new ApiKeyUsed(key.keyId(), pro, Map.of("2xx", 5L), 5, 5, first, last,
                            "203.0.113.7", List.of("203.0.113.7")))
                    .when(usage(pro, Map.of("2xx", 7L, "4xx", 2L)))
                    .expectEvents(new ApiKeyUsed(key.keyId(), pro, Map.of("2xx", 7L, "4xx", 2L), 9, 14, first, last,
                            "203.0.113.7", List.of("203.0.113.7", "198.51.100.1")));
        }

        @Test
        void aRevokedKeysRefusalsAreStillItsHistory() {
            fixture.given(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.LEAKED))
                    .when(usage(pro, Map.of("4xx", 3L)))
                    .expectEvents(new ApiKeyUsed(key.keyId(), pro, Map.of("4xx", 3L), 3, 3, first, last,
                            "203.0.113.7", List.of("203.0.113.7", "198.51.100.1")));
        }

        @Test
        void nothingToRecordRecordsNothingAndAnotherTenantIsNotFound() {
            fixture.given(created(key)).when(usage(pro, Map.of())).expectNoEvents();
            newFixture().given(created(key)).when(usage(other, Map.of("2xx", 1L)))
                    .expectException(refusal(KeysmithException.NotFound.class, "key_not_found"));
        }
    }

    // ---- usage spikes ----

    @Nested
    class Spikes {

        final CreateApiKey key = create(pro, Environment.PRODUCTION);
        final Instant at = Instant.parse("2026-11-23T10:00:00Z");

        RecordApiKeyUsageSpike spike(TenantId tenant) {
            return new RecordApiKeyUsageSpike(key.keyId(), tenant, at, 1200, 12, 10);
        }

        @Test
        void aSpikeIsRecordedWithItsRatesAndBaseline() {
            fixture.given(created(key)).when(spike(pro))
                    .expectEvents(new ApiKeyUsageSpiked(key.keyId(), pro, at, 1200, 12, 10));
        }

        @Test
        void aSecondSpikeInTheSameEpisodeRecordsNothing() {
            fixture.given(created(key), new ApiKeyUsageSpiked(key.keyId(), pro, at, 1200, 12, 10))
                    .when(spike(pro)).expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void settlingEndsTheEpisodeAndANewSpikeStartsAnother() {
            fixture.given(created(key), new ApiKeyUsageSpiked(key.keyId(), pro, at, 1200, 12, 10))
                    .when(new SettleApiKeyUsage(key.keyId(), pro, at.plusSeconds(60), 30))
                    .expectEvents(new ApiKeyUsageSettled(key.keyId(), pro, at.plusSeconds(60), 30));
            newFixture().given(created(key), new ApiKeyUsageSpiked(key.keyId(), pro, at, 1200, 12, 10),
                            new ApiKeyUsageSettled(key.keyId(), pro, at.plusSeconds(60), 30))
                    .when(spike(pro))
                    .expectEvents(new ApiKeyUsageSpiked(key.keyId(), pro, at, 1200, 12, 10));
        }

        @Test
        void settlingOutsideAnEpisodeRecordsNothing() {
            fixture.given(created(key)).when(new SettleApiKeyUsage(key.keyId(), pro, at, 0))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void anotherTenantsSpikeIsNotFound() {
            fixture.given(created(key)).when(spike(other))
                    .expectException(refusal(KeysmithException.NotFound.class, "key_not_found"));
        }
    }

    // ---- expire ----

    @Nested
    class Expire {

        final CreateApiKey key = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofDays(1)), false);

        @Test
        void beforeItsExpiryNothingHappens() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .andGivenCurrentTime(key.expires().minusMillis(1))
                    .when(new ExpireApiKey(key.keyId(), pro))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void fromItsExpiryInstantTheKeyExpires() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .andGivenCurrentTime(key.expires())
                    .when(new ExpireApiKey(key.keyId(), pro))
                    .expectEvents(new ApiKeyExpired(key.keyId(), pro, key.expires()));
        }

        @Test
        void longAfterItsExpiryTheEventCarriesTheExpiryInstantNotNow() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .andGivenCurrentTime(t0.plus(Duration.ofDays(40)))
                    .when(new ExpireApiKey(key.keyId(), pro))
                    .expectEvents(new ApiKeyExpired(key.keyId(), pro, key.expires()));
        }

        @Test
        void expiringAgainEmitsNothing() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .andGivenCurrentTime(t0.plus(Duration.ofDays(2)))
                    .andGiven(new ApiKeyExpired(key.keyId(), pro, key.expires()))
                    .when(new ExpireApiKey(key.keyId(), pro))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void aKeyWithoutExpiryNeverExpires() {
            CreateApiKey forever = create(pro, Environment.PRODUCTION);
            fixture.givenCurrentTime(t0).andGiven(created(forever))
                    .andGivenCurrentTime(t0.plus(Duration.ofDays(3650)))
                    .when(new ExpireApiKey(forever.keyId(), pro))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void aRevokedKeyDoesNotExpireAsWell() {
            fixture.givenCurrentTime(t0).andGiven(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.MANUAL))
                    .andGivenCurrentTime(t0.plus(Duration.ofDays(2)))
                    .when(new ExpireApiKey(key.keyId(), pro))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }
    }

    // ---- hide ----

    @Nested
    class Hide {

        final CreateApiKey key = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofDays(1)), false);

        @Test
        void anActiveKeyCannotBeHidden() {
            fixture.givenCurrentTime(t0).andGiven(created(key)).when(new HideApiKey(key.keyId(), pro))
                    .expectException(refusal(KeysmithException.Conflict.class, "key_active")).expectNoEvents();
        }

        @Test
        void aRevokedKeyIsHidden() {
            fixture.givenCurrentTime(t0).andGiven(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.MANUAL))
                    .when(new HideApiKey(key.keyId(), pro))
                    .expectEvents(new ApiKeyHidden(key.keyId(), pro));
        }

        @Test
        void hidingTwiceEmitsNoNewEvent() {
            fixture.givenCurrentTime(t0).andGiven(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.MANUAL),
                            new ApiKeyHidden(key.keyId(), pro))
                    .when(new HideApiKey(key.keyId(), pro))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void anExpiredKeyIsHiddenEvenBeforeTheExpiryIsRecorded() {
            fixture.givenCurrentTime(t0).andGiven(created(key))
                    .andGivenCurrentTime(key.expires())
                    .when(new HideApiKey(key.keyId(), pro))
                    .expectEvents(new ApiKeyHidden(key.keyId(), pro));
        }

        @Test
        void aKeyWhoseExpiryWasRecordedIsHidden() {
            fixture.givenCurrentTime(t0).andGiven(created(key), new ApiKeyExpired(key.keyId(), pro, key.expires()))
                    .when(new HideApiKey(key.keyId(), pro))
                    .expectEvents(new ApiKeyHidden(key.keyId(), pro));
        }
    }

    // ---- tenancy ----

    @Nested
    class AnotherTenant {

        final CreateApiKey key = create(pro, Environment.PRODUCTION, t0.plus(Duration.ofDays(1)), false);

        List<Function<TenantId, Object>> commands() {
            return List.of(
                    tenant -> new RenameApiKey(key.keyId(), tenant, "Other"),
                    tenant -> new ChangeApiKeyIpAllowlist(key.keyId(), tenant, List.of("192.0.2.1")),
                    tenant -> rotate(key.keyId(), tenant, Duration.ofHours(1)),
                    tenant -> new RevokeApiKey(key.keyId(), tenant, RevocationReason.MANUAL),
                    tenant -> new ExpireApiKey(key.keyId(), tenant),
                    tenant -> new HideApiKey(key.keyId(), tenant));
        }

        @Test
        void everyCommandWithAnotherTenantsIdAnswersNotFound() {
            for (Function<TenantId, Object> command : commands()) {
                newFixture().givenCurrentTime(t0).andGiven(created(key)).when(command.apply(other))
                        .expectException(refusal(KeysmithException.NotFound.class, "key_not_found"))
                        .expectNoEvents();
            }
        }

        @Test
        void evenWhenTheKeyIsRevokedOrExpiredTheOtherTenantGetsNotFoundNotTheState() {
            for (Function<TenantId, Object> command : commands()) {
                newFixture().givenCurrentTime(t0)
                        .andGiven(created(key), new ApiKeyRevoked(key.keyId(), pro, RevocationReason.MANUAL))
                        .andGivenCurrentTime(t0.plus(Duration.ofDays(2)))
                        .when(command.apply(other))
                        .expectException(refusal(KeysmithException.NotFound.class, "key_not_found"))
                        .expectNoEvents();
            }
        }

        @Test
        void theOwningTenantCanRunTheSameCommands() {
            // the counterpart of the two tests above: the refusals come from the tenant check, not the commands
            Map<Class<?>, Boolean> expectsEvents = Map.of(RenameApiKey.class, true, ChangeApiKeyIpAllowlist.class, true,
                    RotateApiKey.class, true, RevokeApiKey.class, true, ExpireApiKey.class, false,
                    HideApiKey.class, false);
            for (Function<TenantId, Object> command : commands()) {
                Object mine = command.apply(pro);
                if (mine instanceof HideApiKey) {
                    continue; // an active key cannot be hidden: covered in Hide
                }
                var result = newFixture().givenCurrentTime(t0).andGiven(created(key)).when(mine)
                        .expectSuccessfulHandlerExecution();
                if (!expectsEvents.get(mine.getClass())) {
                    result.expectNoEvents();
                }
            }
        }
    }
}
