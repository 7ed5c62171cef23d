package dev.keysmith.keys.tenant;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.Credentials;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The credentials collection and team-number counter on mongo-java-server (both backends). */
class CredentialStoreTests {

    static final TenantId ACME = new TenantId("ten_acme000000000001");
    static final TenantId GLOBEX = new TenantId("ten_globex0000000001");
    static final MemberId ALICE = new MemberId("mem_alice00000000001");
    static final MemberId BOB = new MemberId("mem_bob0000000000001");

    abstract static class Contract {

        private TestMongo mongo;
        private MongoDatabase database;
        private CredentialStore store;

        abstract TestMongo.Backend backend();

        @BeforeEach
        void start() {
            mongo = TestMongo.start(backend());
            database = mongo.database("keysmith");
            store = new CredentialStore(database);
        }

        @AfterEach
        void stop() {
            mongo.close();
        }

        @Test
        void insertedCredentialsAreFoundByEmailAndByMember() {
            assertThat(store.insert(ALICE, ACME, "alice@example.com", "hash-1", true)).isTrue();

            Credentials expected = new Credentials(ALICE, ACME, "alice@example.com", "hash-1", true);
            assertThat(store.byEmail("alice@example.com")).contains(expected);
            assertThat(store.byMember(ALICE)).contains(expected);
            assertThat(store.byEmail("bob@example.com")).isEmpty();
            assertThat(store.byMember(BOB)).isEmpty();
        }

        @Test
        void aTakenEmailIsRefusedEvenFromAnotherTenant() {
            assertThat(store.insert(ALICE, ACME, "alice@example.com", "hash-1", false)).isTrue();

            assertThat(store.insert(BOB, GLOBEX, "alice@example.com", "hash-2", true)).isFalse();

            assertThat(store.byEmail("alice@example.com"))
                    .contains(new Credentials(ALICE, ACME, "alice@example.com", "hash-1", false));
            assertThat(store.byMember(BOB)).isEmpty();
            assertThat(database.getCollection("credentials").countDocuments()).isEqualTo(1);
        }

        @Test
        void aTakenMemberIdIsRefused() {
            assertThat(store.insert(ALICE, ACME, "alice@example.com", "hash-1", false)).isTrue();

            assertThat(store.insert(ALICE, ACME, "other@example.com", "hash-2", false)).isFalse();
            assertThat(store.byEmail("other@example.com")).isEmpty();
        }

        @Test
        void aDeletedMembersEmailCanBeClaimedAgain() {
            store.insert(ALICE, ACME, "alice@example.com", "hash-1", false);

            store.delete(ALICE);

            assertThat(store.byMember(ALICE)).isEmpty();
            assertThat(store.byEmail("alice@example.com")).isEmpty();
            assertThat(store.insert(BOB, GLOBEX, "alice@example.com", "hash-2", false)).isTrue();
            assertThat(store.byEmail("alice@example.com")).hasValueSatisfying(
                    found -> assertThat(found.memberId()).isEqualTo(BOB));
        }

        @Test
        void updatingAPasswordReplacesTheHashAndClearsMustChange() {
            store.insert(ALICE, ACME, "alice@example.com", "hash-1", true);
            store.insert(BOB, ACME, "bob@example.com", "hash-b", true);

            store.updatePassword(ALICE, "hash-2");

            assertThat(store.byMember(ALICE))
                    .contains(new Credentials(ALICE, ACME, "alice@example.com", "hash-2", false));
            assertThat(store.byMember(BOB))
                    .contains(new Credentials(BOB, ACME, "bob@example.com", "hash-b", true));
        }

        @Test
        void teamNumbersStartAt1001AndIncrement() {
            assertThat(store.nextTeamNumber()).isEqualTo(1001);
            assertThat(store.nextTeamNumber()).isEqualTo(1002);
            assertThat(store.nextTeamNumber()).isEqualTo(1003);
        }

        @Test
        void teamNumbersContinueAfterARestart() {
            store.nextTeamNumber();
            store.nextTeamNumber();

            CredentialStore restarted = new CredentialStore(database);

            assertThat(restarted.nextTeamNumber()).isEqualTo(1003);
        }

        /**
         * Sign-ups call {@code nextTeamNumber()} on request threads, so it must hand out distinct numbers under
         * concurrency. mongo-java-server alone does not guarantee it ({@code findOneAndUpdate(..., AFTER)} can
         * return the same document to two callers), so the store serialises the calls.
         */
        @Test
        void concurrentCallersNeverGetTheSameTeamNumber() throws Exception {
            int threads = 4;
            int perThread = 50;
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            assertThat(seen.add(store.nextTeamNumber())).as("team number handed out twice").isTrue();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(seen).hasSize(threads * perThread);
            assertThat(seen).allSatisfy(number -> assertThat(number).isBetween(1001L, 1000L + threads * perThread));
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
