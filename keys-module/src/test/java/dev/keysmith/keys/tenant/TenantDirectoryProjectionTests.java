package dev.keysmith.keys.tenant;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.MemberView;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.TenantView;
import dev.keysmith.keys.events.BrandAdded;
import dev.keysmith.keys.events.BrandRemoved;
import dev.keysmith.keys.events.MemberAdded;
import dev.keysmith.keys.events.MemberRemoved;
import dev.keysmith.keys.events.MemberRoleChanged;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant directory read model on mongo-java-server (both backends), driven by calling its event handlers the
 * way Axon would, and read back through its {@link dev.keysmith.keys.TenantDirectory} methods.
 */
class TenantDirectoryProjectionTests {

    static final TenantId ACME = new TenantId("ten_acme000000000001");
    static final TenantId GLOBEX = new TenantId("ten_globex0000000001");
    static final MemberId ACME_OWNER = new MemberId("mem_acmeowner0000001");
    static final MemberId GLOBEX_OWNER = new MemberId("mem_globexowner00001");
    static final MemberId ALICE = new MemberId("mem_alice00000000001");
    static final MemberId BOB = new MemberId("mem_bob0000000000001");
    static final MemberId CAROL = new MemberId("mem_carol00000000001");
    static final String ACME_CLIENT = "acme00000000000000000001";
    static final String GLOBEX_CLIENT = "globex000000000000000001";
    static final Instant T0 = Instant.parse("2025-03-04T05:06:07.123Z");

    static final TenantRegistered ACME_REGISTERED = new TenantRegistered(ACME, "Acme", ACME_CLIENT, 1001, Plan.FREE,
            ACME_OWNER, "owner@acme.example");
    static final TenantRegistered GLOBEX_REGISTERED = new TenantRegistered(GLOBEX, "Globex", GLOBEX_CLIENT, 1002,
            Plan.PRO, GLOBEX_OWNER, "owner@globex.example");

    /** An event with the timestamp Axon would pass to {@code @Timestamp} parameters. */
    record Delivery(Object event, Instant at) {
    }

    /** A history touching every handler, across two tenants. */
    static List<Delivery> history() {
        return List.of(
                new Delivery(ACME_REGISTERED, T0),
                new Delivery(GLOBEX_REGISTERED, T0.plusSeconds(1)),
                new Delivery(new PlanChanged(ACME, Plan.FREE, Plan.PRO), T0.plusSeconds(2)),
                new Delivery(new BrandAdded(ACME, "Acme Travel"), T0.plusSeconds(3)),
                new Delivery(new BrandAdded(ACME, "Acme Hotels"), T0.plusSeconds(4)),
                new Delivery(new BrandAdded(ACME, "Acme Cars"), T0.plusSeconds(5)),
                new Delivery(new BrandRemoved(ACME, "Acme Hotels"), T0.plusSeconds(6)),
                new Delivery(new MemberAdded(ACME, ALICE, "alice@acme.example", Role.DEVELOPER), T0.plusSeconds(7)),
                new Delivery(new MemberAdded(ACME, BOB, "bob@acme.example", Role.AUDITOR), T0.plusSeconds(8)),
                new Delivery(new MemberAdded(GLOBEX, CAROL, "carol@globex.example", Role.ADMIN), T0.plusSeconds(9)),
                new Delivery(new MemberRoleChanged(ACME, ALICE, Role.DEVELOPER, Role.OWNER), T0.plusSeconds(10)),
                new Delivery(new MemberRemoved(ACME, BOB, "bob@acme.example"), T0.plusSeconds(11)));
    }

    static void deliver(TenantDirectoryProjection projection, Delivery delivery) {
        Object event = delivery.event();
        if (event instanceof TenantRegistered e) {
            projection.on(e, delivery.at());
        } else if (event instanceof PlanChanged e) {
            projection.on(e);
        } else if (event instanceof BrandAdded e) {
            projection.on(e);
        } else if (event instanceof BrandRemoved e) {
            projection.on(e);
        } else if (event instanceof MemberAdded e) {
            projection.on(e, delivery.at());
        } else if (event instanceof MemberRoleChanged e) {
            projection.on(e);
        } else if (event instanceof MemberRemoved e) {
            projection.on(e);
        } else {
            throw new IllegalArgumentException("No handler for " + event);
        }
    }

    /** Everything the directory answers about the two tenants and every member id used here. */
    record State(Optional<TenantView> acme, Optional<TenantView> globex, Optional<TenantView> acmeByClientId,
                 Optional<TenantView> globexByClientId, List<MemberView> acmeMembers,
                 List<MemberView> globexMembers, List<Optional<MemberView>> lookups) {
    }

    static State state(TenantDirectoryProjection directory) {
        List<Optional<MemberView>> lookups = new ArrayList<>();
        for (TenantId tenant : List.of(ACME, GLOBEX)) {
            for (MemberId member : List.of(ACME_OWNER, GLOBEX_OWNER, ALICE, BOB, CAROL)) {
                lookups.add(directory.member(tenant, member));
            }
        }
        return new State(directory.tenant(ACME), directory.tenant(GLOBEX), directory.tenantByClientId(ACME_CLIENT),
                directory.tenantByClientId(GLOBEX_CLIENT), directory.members(ACME), directory.members(GLOBEX),
                lookups);
    }

    abstract static class Contract {

        private TestMongo mongo;
        private MongoDatabase database;
        private TenantDirectoryProjection projection;

        abstract TestMongo.Backend backend();

        @BeforeEach
        void start() {
            mongo = TestMongo.start(backend());
            database = mongo.database("keysmith");
            projection = new TenantDirectoryProjection(database);
        }

        @AfterEach
        void stop() {
            mongo.close();
        }

        @Test
        void aRegisteredTenantIsListedWithItsOwner() {
            projection.on(ACME_REGISTERED, T0);

            TenantView expected = new TenantView(ACME, "Acme", ACME_CLIENT, 1001, Plan.FREE, List.of(), T0);
            assertThat(projection.tenant(ACME)).contains(expected);
            assertThat(projection.tenantByClientId(ACME_CLIENT)).contains(expected);
            MemberView owner = new MemberView(ACME_OWNER, ACME, "owner@acme.example", Role.OWNER, T0);
            assertThat(projection.member(ACME, ACME_OWNER)).contains(owner);
            assertThat(projection.members(ACME)).containsExactly(owner);
        }

        @Test
        void unknownTenantsAndClientIdsAreEmpty() {
            projection.on(ACME_REGISTERED, T0);

            assertThat(projection.tenant(GLOBEX)).isEmpty();
            assertThat(projection.tenantByClientId(GLOBEX_CLIENT)).isEmpty();
            assertThat(projection.members(GLOBEX)).isEmpty();
            assertThat(projection.member(ACME, ALICE)).isEmpty();
        }

        @Test
        void planChangesAreShown() {
            projection.on(ACME_REGISTERED, T0);
            projection.on(new PlanChanged(ACME, Plan.FREE, Plan.ENTERPRISE));

            assertThat(projection.tenant(ACME)).hasValueSatisfying(
                    tenant -> assertThat(tenant.plan()).isEqualTo(Plan.ENTERPRISE));
        }

        @Test
        void brandsAreListedInTheOrderTheyWereAddedAndRemovedByName() {
            projection.on(ACME_REGISTERED, T0);
            projection.on(new BrandAdded(ACME, "Acme Travel"));
            projection.on(new BrandAdded(ACME, "Acme Hotels"));
            projection.on(new BrandAdded(ACME, "Acme Cars"));
            assertThat(projection.tenant(ACME).orElseThrow().brands())
                    .containsExactly("Acme Travel", "Acme Hotels", "Acme Cars");

            projection.on(new BrandRemoved(ACME, "Acme Hotels"));
            assertThat(projection.tenant(ACME).orElseThrow().brands()).containsExactly("Acme Travel", "Acme Cars");
        }

        @Test
        void eventsForAnUnregisteredTenantCreateNothing() {
            projection.on(new PlanChanged(GLOBEX, Plan.FREE, Plan.PRO));
            projection.on(new BrandAdded(GLOBEX, "Ghost"));

            assertThat(projection.tenant(GLOBEX)).isEmpty();
            assertThat(database.getCollection("tenants").countDocuments()).isZero();
        }

        @Test
        void membersAreAddedChangedAndRemoved() {
            projection.on(ACME_REGISTERED, T0);
            projection.on(new MemberAdded(ACME, ALICE, "alice@acme.example", Role.DEVELOPER), T0.plusSeconds(1));
            assertThat(projection.member(ACME, ALICE)).contains(
                    new MemberView(ALICE, ACME, "alice@acme.example", Role.DEVELOPER, T0.plusSeconds(1)));

            projection.on(new MemberRoleChanged(ACME, ALICE, Role.DEVELOPER, Role.ADMIN));
            assertThat(projection.member(ACME, ALICE)).contains(
                    new MemberView(ALICE, ACME, "alice@acme.example", Role.ADMIN, T0.plusSeconds(1)));

            projection.on(new MemberRemoved(ACME, ALICE, "alice@acme.example"));
            assertThat(projection.member(ACME, ALICE)).isEmpty();
            assertThat(projection.members(ACME)).extracting(MemberView::id).containsExactly(ACME_OWNER);
        }

        @Test
        void membersAreListedByDateAddedThenEmail() {
            projection.on(ACME_REGISTERED, T0);
            // delivered out of order on purpose: the listing order comes from the data, not the insertion order
            projection.on(new MemberAdded(ACME, CAROL, "carol@acme.example", Role.AUDITOR), T0.plusSeconds(2));
            projection.on(new MemberAdded(ACME, BOB, "bob@acme.example", Role.ADMIN), T0.plusSeconds(1));
            projection.on(new MemberAdded(ACME, ALICE, "alice@acme.example", Role.ADMIN), T0.plusSeconds(1));

            assertThat(projection.members(ACME)).extracting(MemberView::email).containsExactly(
                    "owner@acme.example", "alice@acme.example", "bob@acme.example", "carol@acme.example");
        }

        @Test
        void lookupsAreScopedToTheTenant() {
            projection.on(ACME_REGISTERED, T0);
            projection.on(GLOBEX_REGISTERED, T0);
            projection.on(new MemberAdded(ACME, ALICE, "alice@acme.example", Role.ADMIN), T0.plusSeconds(1));

            assertThat(projection.member(ACME, ALICE)).isPresent();
            assertThat(projection.member(GLOBEX, ALICE)).isEmpty();
            assertThat(projection.member(GLOBEX, ACME_OWNER)).isEmpty();
            assertThat(projection.member(ACME, GLOBEX_OWNER)).isEmpty();
            assertThat(projection.members(GLOBEX)).extracting(MemberView::id).containsExactly(GLOBEX_OWNER);
            assertThat(projection.members(ACME)).extracting(MemberView::id).containsExactly(ACME_OWNER, ALICE);
        }

        @Test
        void theFullHistoryGivesTheExpectedDirectory() {
            history().forEach(delivery -> deliver(projection, delivery));

            assertThat(projection.tenant(ACME)).contains(new TenantView(ACME, "Acme", ACME_CLIENT, 1001, Plan.PRO,
                    List.of("Acme Travel", "Acme Cars"), T0));
            assertThat(projection.tenant(GLOBEX)).contains(new TenantView(GLOBEX, "Globex", GLOBEX_CLIENT, 1002,
                    Plan.PRO, List.of(), T0.plusSeconds(1)));
            assertThat(projection.members(ACME)).containsExactly(
                    new MemberView(ACME_OWNER, ACME, "owner@acme.example", Role.OWNER, T0),
                    new MemberView(ALICE, ACME, "alice@acme.example", Role.OWNER, T0.plusSeconds(7)));
            assertThat(projection.members(GLOBEX)).containsExactly(
                    new MemberView(GLOBEX_OWNER, GLOBEX, "owner@globex.example", Role.OWNER, T0.plusSeconds(1)),
                    new MemberView(CAROL, GLOBEX, "carol@globex.example", Role.ADMIN, T0.plusSeconds(9)));
        }

        @Test
        void eachEventHandledTwiceGivesTheSameStateAsOnce() {
            TenantDirectoryProjection once = projection;
            TenantDirectoryProjection twice = new TenantDirectoryProjection(mongo.database("keysmith_twice"));
            for (Delivery delivery : history()) {
                deliver(once, delivery);
                deliver(twice, delivery);
                deliver(twice, delivery);
                assertThat(state(twice)).as("after %s delivered twice", delivery.event()).isEqualTo(state(once));
            }
        }

        @Test
        void aRedeliveredBatchGivesTheSameState() {
            TenantDirectoryProjection once = projection;
            TenantDirectoryProjection redelivered = new TenantDirectoryProjection(mongo.database("keysmith_redo"));
            List<Delivery> history = history();
            history.forEach(delivery -> deliver(once, delivery));
            // at-least-once delivery after a crash: every suffix of the stream may come again
            for (int from = history.size() - 1; from >= 0; from--) {
                history.forEach(delivery -> deliver(redelivered, delivery));
                history.subList(from, history.size()).forEach(delivery -> deliver(redelivered, delivery));
                assertThat(state(redelivered)).as("redelivered from event %d", from).isEqualTo(state(once));
                redelivered.reset();
            }
        }

        @Test
        void resetEmptiesEverythingAndAReplayRebuildsIt() {
            history().forEach(delivery -> deliver(projection, delivery));
            State built = state(projection);

            projection.reset();

            assertThat(projection.tenant(ACME)).isEmpty();
            assertThat(projection.tenant(GLOBEX)).isEmpty();
            assertThat(projection.tenantByClientId(ACME_CLIENT)).isEmpty();
            assertThat(projection.members(ACME)).isEmpty();
            assertThat(projection.members(GLOBEX)).isEmpty();
            assertThat(projection.member(ACME, ACME_OWNER)).isEmpty();
            assertThat(database.getCollection("tenants").countDocuments()).isZero();
            assertThat(database.getCollection("members").countDocuments()).isZero();

            history().forEach(delivery -> deliver(projection, delivery));
            assertThat(state(projection)).isEqualTo(built);
        }

        @Test
        void aRestartedProjectionReadsWhatItsPredecessorWrote() {
            history().forEach(delivery -> deliver(projection, delivery));
            State built = state(projection);

            // a new instance on the same database re-creates its indexes without losing or refusing anything
            TenantDirectoryProjection restarted = new TenantDirectoryProjection(database);
            assertThat(state(restarted)).isEqualTo(built);
        }
    }

    @Nested
    class OnMemoryBackend extends Contract {
        @Override
        TestMongo.Backend backend() {
            return TestMongo.Backend.MEMORY;
        }
    }

    @Nested
    class OnH2Backend extends Contract {
        @Override
        TestMongo.Backend backend() {
            return TestMongo.Backend.H2;
        }
    }
}
