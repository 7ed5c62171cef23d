package dev.keysmith.keys.tenant;

import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantCommands.AddBrand;
import dev.keysmith.keys.TenantCommands.AddMember;
import dev.keysmith.keys.TenantCommands.ChangeMemberRole;
import dev.keysmith.keys.TenantCommands.ChangePlan;
import dev.keysmith.keys.TenantCommands.RecordPasswordChange;
import dev.keysmith.keys.TenantCommands.RegisterTenant;
import dev.keysmith.keys.TenantCommands.RemoveBrand;
import dev.keysmith.keys.TenantCommands.RemoveMember;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.BrandAdded;
import dev.keysmith.keys.events.BrandRemoved;
import dev.keysmith.keys.events.MemberAdded;
import dev.keysmith.keys.events.MemberPasswordChanged;
import dev.keysmith.keys.events.MemberRemoved;
import dev.keysmith.keys.events.MemberRoleChanged;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Tenant aggregate, command by command: the events each command produces from a given history, and each
 * refusal (exception type and stable code, and no event).
 */
class TenantTests {

    private static final TenantId TENANT = new TenantId("ten_test000000000001");
    private static final MemberId OWNER = new MemberId("mem_owner00000000001");
    private static final MemberId ALICE = new MemberId("mem_alice00000000001");
    private static final MemberId BOB = new MemberId("mem_bob0000000000001");
    private static final String OWNER_EMAIL = "owner@example.com";

    private static final TenantRegistered REGISTERED = new TenantRegistered(TENANT, "Acme", "0123456789abcdef01234567",
            1001, Plan.FREE, OWNER, OWNER_EMAIL);

    private FixtureConfiguration<Tenant> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
    }

    /** Matches a {@link KeysmithException} of exactly that type carrying that code. */
    private static Matcher<Throwable> refusal(Class<? extends KeysmithException> type, String code) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item.getClass() == type && code.equals(((KeysmithException) item).code());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(type.getSimpleName() + " with code " + code);
            }

            @Override
            protected void describeMismatchSafely(Throwable item, Description mismatch) {
                mismatch.appendText("was " + item.getClass().getName()
                        + (item instanceof KeysmithException k ? " with code " + k.code() : "") + ": " + item.getMessage());
            }
        };
    }

    @Test
    void registerTenantRecordsTheTenantWithItsOwner() {
        fixture.givenNoPriorActivity()
                .when(new RegisterTenant(TENANT, "Acme", "0123456789abcdef01234567", 1001, Plan.FREE, OWNER,
                        OWNER_EMAIL))
                .expectSuccessfulHandlerExecution()
                .expectEvents(REGISTERED);
    }

    @Test
    void theRegisteredOwnerIsAMember() {
        // the owner exists in the aggregate's state: a password change for them is accepted
        fixture.given(REGISTERED)
                .when(new RecordPasswordChange(TENANT, OWNER, false))
                .expectEvents(new MemberPasswordChanged(TENANT, OWNER, false));
    }

    @Nested
    class Plans {

        @Test
        void changingThePlanRecordsFromAndTo() {
            fixture.given(REGISTERED)
                    .when(new ChangePlan(TENANT, Plan.PRO))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new PlanChanged(TENANT, Plan.FREE, Plan.PRO));
        }

        @Test
        void aSecondChangeStartsFromThePreviousPlan() {
            fixture.given(REGISTERED, new PlanChanged(TENANT, Plan.FREE, Plan.PRO))
                    .when(new ChangePlan(TENANT, Plan.ENTERPRISE))
                    .expectEvents(new PlanChanged(TENANT, Plan.PRO, Plan.ENTERPRISE));
        }

        @Test
        void changingToTheCurrentPlanRecordsNothing() {
            fixture.given(REGISTERED, new PlanChanged(TENANT, Plan.FREE, Plan.PRO))
                    .when(new ChangePlan(TENANT, Plan.PRO))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Nested
    class Brands {

        @Test
        void addingABrandRecordsItsStrippedName() {
            fixture.given(REGISTERED)
                    .when(new AddBrand(TENANT, "  Acme Travel "))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new BrandAdded(TENANT, "Acme Travel"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Acme Travel", "acme travel", "ACME TRAVEL", " Acme Travel  "})
        void aDuplicateBrandIsRefusedWhateverItsCase(String name) {
            fixture.given(REGISTERED, new BrandAdded(TENANT, "Acme Travel"))
                    .when(new AddBrand(TENANT, name))
                    .expectException(refusal(KeysmithException.Conflict.class, "brand_exists"))
                    .expectNoEvents();
        }

        @Test
        void aBrandCanBeAddedAgainAfterItWasRemoved() {
            fixture.given(REGISTERED, new BrandAdded(TENANT, "Acme Travel"), new BrandRemoved(TENANT, "Acme Travel"))
                    .when(new AddBrand(TENANT, "ACME travel"))
                    .expectEvents(new BrandAdded(TENANT, "ACME travel"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\t"})
        void aBlankBrandNameIsRefused(String name) {
            fixture.given(REGISTERED)
                    .when(new AddBrand(TENANT, name))
                    .expectException(refusal(KeysmithException.InvalidInput.class, "invalid_brand"))
                    .expectNoEvents();
        }

        @Test
        void aNullBrandNameIsRefused() {
            fixture.given(REGISTERED)
                    .when(new AddBrand(TENANT, null))
                    .expectException(refusal(KeysmithException.InvalidInput.class, "invalid_brand"))
                    .expectNoEvents();
        }

        @Test
        void anOverlongBrandNameIsRefused() {
            fixture.given(REGISTERED)
                    .when(new AddBrand(TENANT, "b".repeat(81)))
                    .expectException(refusal(KeysmithException.InvalidInput.class, "invalid_brand"))
                    .expectNoEvents();
        }

        @Test
        void aBrandNameOfExactly80CharactersIsAccepted() {
            fixture.given(REGISTERED)
                    .when(new AddBrand(TENANT, "b".repeat(80)))
                    .expectEvents(new BrandAdded(TENANT, "b".repeat(80)));
        }

        @Test
        void theFiftyFirstBrandIsRefused() {
            Object[] history = new Object[Tenant.MAX_BRANDS + 1];
            history[0] = REGISTERED;
            for (int i = 1; i <= Tenant.MAX_BRANDS; i++) {
                history[i] = new BrandAdded(TENANT, "Brand " + i);
            }
            fixture.given(history)
                    .when(new AddBrand(TENANT, "One too many"))
                    .expectException(refusal(KeysmithException.Conflict.class, "brand_limit_reached"))
                    .expectNoEvents();
        }

        @Test
        void removingABrandRecordsItsStoredName() {
            fixture.given(REGISTERED, new BrandAdded(TENANT, "Acme Travel"))
                    .when(new RemoveBrand(TENANT, " acme TRAVEL "))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new BrandRemoved(TENANT, "Acme Travel"));
        }

        @Test
        void removingAnUnknownBrandIsRefused() {
            fixture.given(REGISTERED, new BrandAdded(TENANT, "Acme Travel"))
                    .when(new RemoveBrand(TENANT, "Acme Hotels"))
                    .expectException(refusal(KeysmithException.NotFound.class, "brand_not_found"))
                    .expectNoEvents();
        }

        @Test
        void removingABrandTwiceIsRefused() {
            fixture.given(REGISTERED, new BrandAdded(TENANT, "Acme Travel"), new BrandRemoved(TENANT, "Acme Travel"))
                    .when(new RemoveBrand(TENANT, "Acme Travel"))
                    .expectException(refusal(KeysmithException.NotFound.class, "brand_not_found"))
                    .expectNoEvents();
        }

        @Test
        void removingANullBrandIsRefused() {
            fixture.given(REGISTERED)
                    .when(new RemoveBrand(TENANT, null))
                    .expectException(refusal(KeysmithException.NotFound.class, "brand_not_found"))
                    .expectNoEvents();
        }
    }

    @Nested
    class Members {

        @Test
        void addingAMemberRecordsEmailAndRole() {
            fixture.given(REGISTERED)
                    .when(new AddMember(TENANT, ALICE, "alice@example.com", Role.DEVELOPER))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER));
        }

        @Test
        void addingTheSameMemberIdTwiceIsRefused() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER))
                    .when(new AddMember(TENANT, ALICE, "alice@example.com", Role.ADMIN))
                    .expectException(refusal(KeysmithException.Conflict.class, "member_exists"))
                    .expectNoEvents();
        }

        @Test
        void changingARoleRecordsFromAndTo() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER))
                    .when(new ChangeMemberRole(TENANT, ALICE, Role.ADMIN))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new MemberRoleChanged(TENANT, ALICE, Role.DEVELOPER, Role.ADMIN));
        }

        @Test
        void changingToTheCurrentRoleRecordsNothing() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER))
                    .when(new ChangeMemberRole(TENANT, ALICE, Role.DEVELOPER))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aSecondRoleChangeStartsFromThePreviousRole() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER),
                            new MemberRoleChanged(TENANT, ALICE, Role.DEVELOPER, Role.ADMIN))
                    .when(new ChangeMemberRole(TENANT, ALICE, Role.AUDITOR))
                    .expectEvents(new MemberRoleChanged(TENANT, ALICE, Role.ADMIN, Role.AUDITOR));
        }

        @ParameterizedTest
        @ValueSource(strings = {"ADMIN", "DEVELOPER", "AUDITOR"})
        void demotingTheLastOwnerIsRefused(String role) {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.ADMIN))
                    .when(new ChangeMemberRole(TENANT, OWNER, Role.valueOf(role)))
                    .expectException(refusal(KeysmithException.Conflict.class, "last_owner"))
                    .expectNoEvents();
        }

        @Test
        void demotingAnOwnerWorksWhenAnotherOwnerRemains() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER),
                            new MemberRoleChanged(TENANT, ALICE, Role.DEVELOPER, Role.OWNER))
                    .when(new ChangeMemberRole(TENANT, OWNER, Role.ADMIN))
                    .expectEvents(new MemberRoleChanged(TENANT, OWNER, Role.OWNER, Role.ADMIN));
        }

        @Test
        void theOwnerWhoRemainsAfterADemotionIsTheLastOwner() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.OWNER),
                            new MemberRoleChanged(TENANT, OWNER, Role.OWNER, Role.ADMIN))
                    .when(new ChangeMemberRole(TENANT, ALICE, Role.DEVELOPER))
                    .expectException(refusal(KeysmithException.Conflict.class, "last_owner"))
                    .expectNoEvents();
        }

        @Test
        void changingTheRoleOfAnUnknownMemberIsRefused() {
            fixture.given(REGISTERED)
                    .when(new ChangeMemberRole(TENANT, BOB, Role.ADMIN))
                    .expectException(refusal(KeysmithException.NotFound.class, "member_not_found"))
                    .expectNoEvents();
        }

        @Test
        void changingTheRoleOfARemovedMemberIsRefused() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER),
                            new MemberRemoved(TENANT, ALICE, "alice@example.com"))
                    .when(new ChangeMemberRole(TENANT, ALICE, Role.ADMIN))
                    .expectException(refusal(KeysmithException.NotFound.class, "member_not_found"))
                    .expectNoEvents();
        }

        @Test
        void removingAMemberRecordsTheirEmail() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER))
                    .when(new RemoveMember(TENANT, ALICE))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new MemberRemoved(TENANT, ALICE, "alice@example.com"));
        }

        @Test
        void removingTheLastOwnerIsRefused() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.ADMIN))
                    .when(new RemoveMember(TENANT, OWNER))
                    .expectException(refusal(KeysmithException.Conflict.class, "last_owner"))
                    .expectNoEvents();
        }

        @Test
        void removingAnOwnerWorksWhenTwoOwnersExist() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.OWNER))
                    .when(new RemoveMember(TENANT, OWNER))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new MemberRemoved(TENANT, OWNER, OWNER_EMAIL));
        }

        @Test
        void afterAnOwnerIsRemovedTheOtherIsTheLastOwner() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.OWNER),
                            new MemberRemoved(TENANT, OWNER, OWNER_EMAIL))
                    .when(new RemoveMember(TENANT, ALICE))
                    .expectException(refusal(KeysmithException.Conflict.class, "last_owner"))
                    .expectNoEvents();
        }

        @Test
        void removingAnUnknownMemberIsRefused() {
            fixture.given(REGISTERED)
                    .when(new RemoveMember(TENANT, BOB))
                    .expectException(refusal(KeysmithException.NotFound.class, "member_not_found"))
                    .expectNoEvents();
        }

        @Test
        void recordingAPasswordChangeRecordsWhetherTheInitialPasswordWasReplaced() {
            fixture.given(REGISTERED, new MemberAdded(TENANT, ALICE, "alice@example.com", Role.DEVELOPER))
                    .when(new RecordPasswordChange(TENANT, ALICE, true))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new MemberPasswordChanged(TENANT, ALICE, true));
        }

        @Test
        void recordingAPasswordChangeForAnUnknownMemberIsRefused() {
            fixture.given(REGISTERED)
                    .when(new RecordPasswordChange(TENANT, BOB, false))
                    .expectException(refusal(KeysmithException.NotFound.class, "member_not_found"))
                    .expectNoEvents();
        }
    }
}
