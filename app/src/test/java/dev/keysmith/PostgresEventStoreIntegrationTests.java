package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Actor;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.MemberView;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantCommands.AddBrand;
import dev.keysmith.keys.TenantCommands.RegisterTenant;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.BrandAdded;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole application on PostgreSQL: Flyway creates the event store in a throwaway schema, commands go through
 * {@link Accounts}, and the stored events are read back with plain JDBC. Also proves that conflicting appends to one
 * aggregate surface as Axon's {@link ConcurrencyException} (the PostgreSQL-aware PersistenceExceptionResolver), not a
 * generic {@link EventStoreException}.
 *
 * <p>Runs only when PostgreSQL answers at {@code KEYSMITH_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}) as {@code KEYSMITH_TEST_POSTGRES_USER} (default {@code postgres})
 * with {@code KEYSMITH_TEST_POSTGRES_PASSWORD} (default empty); skipped otherwise.
 */
class PostgresEventStoreIntegrationTests {

    private static final String BASE_URL = env("KEYSMITH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = env("KEYSMITH_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = env("KEYSMITH_TEST_POSTGRES_PASSWORD", "");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String schema;
    private static String url;
    private static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private static ConfigurableApplicationContext node;

    @TempDir
    static Path dataDir;

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Why the tests skip: null when PostgreSQL answered. */
    private static String unavailable;

    @BeforeAll
    static void startTheApplicationOnAThrowawaySchema() throws SQLException {
        DriverManager.setLoginTimeout(5);
        try (Connection ignored = DriverManager.getConnection(BASE_URL, USER, PASSWORD)) {
            unavailable = null;
        } catch (SQLException e) {
            unavailable = "No PostgreSQL at " + BASE_URL + " (" + e.getMessage() + ")";
            return;
        }
        schema = "ks_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(BASE_URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        url = BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        node = startNode("node-a");
    }

    /** Each test, rather than the class, is skipped, so that the skips show in the test counts. */
    @BeforeEach
    void requirePostgres() {
        assumeTrue(unavailable == null, () -> unavailable + ": skipping");
    }

    private static ConfigurableApplicationContext startNode(String name) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(KeysmithApplication.class).run(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD,
                "--keysmith.mongodb-uri=",
                "--keysmith.embedded-mongo=memory",
                "--keysmith.data-dir=" + dataDir.resolve(name),
                "--keysmith.bootstrap.tenant=",
                "--server.port=0",
                "--spring.main.banner-mode=off");
        contexts.add(context);
        return context;
    }

    @AfterAll
    static void stopAndDropTheSchema() throws SQLException {
        for (ConfigurableApplicationContext context : contexts) {
            context.close();
        }
        contexts.clear();
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(BASE_URL, USER, PASSWORD);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    record StoredEvent(long globalIndex, String aggregateId, long sequence, String type, String payloadType,
                       JsonNode payload, JsonNode metadata, String raw) {
    }

    private static List<StoredEvent> storedEvents(String aggregateId) throws Exception {
        List<StoredEvent> events = new ArrayList<>();
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT globalindex, aggregateidentifier, sequencenumber, type, payloadtype, payload, metadata
                     FROM domainevententry WHERE aggregateidentifier = ? ORDER BY sequencenumber""")) {
            query.setString(1, aggregateId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String payload = new String(rows.getBytes("payload"), StandardCharsets.UTF_8);
                    String metadata = new String(rows.getBytes("metadata"), StandardCharsets.UTF_8);
                    events.add(new StoredEvent(rows.getLong("globalindex"), rows.getString("aggregateidentifier"),
                            rows.getLong("sequencenumber"), rows.getString("type"), rows.getString("payloadtype"),
                            JSON.readTree(payload), JSON.readTree(metadata), payload + metadata));
                }
            }
        }
        return events;
    }

    @Test
    void flywayCreatedTheEventStoreInTheThrowawaySchema() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        assertThat(tables).contains("domainevententry", "snapshotevententry", "tokenentry", "flyway_schema_history");
    }

    @Test
    void commandsThroughAccountsAreStoredWithTheirActorMetadata() throws Exception {
        Accounts accounts = node.getBean(Accounts.class);
        Actor visitor = new Actor("visitor-42", Actor.Type.VISITOR, "203.0.113.7", "JUnit/5", "corr-signup-1");
        Actor owner = new Actor("owner-actor", Actor.Type.MEMBER, "198.51.100.9", "JUnit/5", "corr-add-member-1");
        String ownerPassword = "correct horse battery";
        String memberPassword = "initial password 1";

        Accounts.SignUp signUp = Actor.runAs(visitor,
                () -> accounts.signUp("Acme", "Owner@Acme.Example", ownerPassword, Plan.PRO));
        MemberId alice = Actor.runAs(owner,
                () -> accounts.addMember(signUp.tenantId(), "alice@acme.example", Role.ADMIN, memberPassword));

        List<StoredEvent> events = storedEvents(signUp.tenantId().value());
        assertThat(events).extracting(StoredEvent::sequence).containsExactly(0L, 1L);
        assertThat(events).extracting(StoredEvent::type).containsOnly("Tenant");
        assertThat(events).extracting(StoredEvent::payloadType).containsExactly(
                "dev.keysmith.keys.events.TenantRegistered", "dev.keysmith.keys.events.MemberAdded");
        assertThat(events.get(1).globalIndex()).isGreaterThan(events.get(0).globalIndex());

        StoredEvent registered = events.get(0);
        assertThat(registered.payload().get("tenantId").asText()).isEqualTo(signUp.tenantId().value());
        assertThat(registered.payload().get("ownerEmail").asText()).isEqualTo("owner@acme.example");
        assertThat(registered.payload().get("plan").asText()).isEqualTo("PRO");
        assertThat(registered.metadata().fieldNames()).toIterable()
                .contains("tenantId", "actor", "actorType", "correlationId");
        assertThat(registered.metadata().get("tenantId").asText()).isEqualTo(signUp.tenantId().value());
        assertThat(registered.metadata().get("actor").asText()).isEqualTo("visitor-42");
        assertThat(registered.metadata().get("actorType").asText()).isEqualTo("visitor");
        assertThat(registered.metadata().get("correlationId").asText()).isEqualTo("corr-signup-1");
        assertThat(registered.metadata().get("ip").asText()).isEqualTo("203.0.113.7");

        StoredEvent added = events.get(1);
        assertThat(added.payload().get("memberId").asText()).isEqualTo(alice.value());
        assertThat(added.payload().get("role").asText()).isEqualTo("ADMIN");
        assertThat(added.metadata().get("tenantId").asText()).isEqualTo(signUp.tenantId().value());
        assertThat(added.metadata().get("actor").asText()).isEqualTo("owner-actor");
        assertThat(added.metadata().get("actorType").asText()).isEqualTo("member");
        assertThat(added.metadata().get("correlationId").asText()).isEqualTo("corr-add-member-1");

        // no password, nor its bcrypt hash, ever enters the event store
        assertThat(events).extracting(StoredEvent::raw).allSatisfy(raw -> assertThat(raw)
                .doesNotContain(ownerPassword, memberPassword, "$2a$", "passwordHash"));

        // and the read model on this node shows both once the calls return
        TenantDirectory directory = node.getBean(TenantDirectory.class);
        assertThat(directory.tenant(signUp.tenantId())).hasValueSatisfying(tenant -> {
            assertThat(tenant.name()).isEqualTo("Acme");
            assertThat(tenant.clientId()).isEqualTo(signUp.clientId());
            assertThat(tenant.teamNumber()).isEqualTo(signUp.teamNumber());
        });
        assertThat(directory.members(signUp.tenantId())).extracting(MemberView::id, MemberView::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(signUp.ownerId(), Role.OWNER),
                        org.assertj.core.groups.Tuple.tuple(alice, Role.ADMIN));
    }

    @Test
    void aCommandWithoutABoundActorIsStoredAsTheSystem() throws Exception {
        Accounts.SignUp signUp = node.getBean(Accounts.class)
                .signUp("Initech", "owner@initech.example", "correct horse battery", Plan.FREE);

        JsonNode metadata = storedEvents(signUp.tenantId().value()).get(0).metadata();
        assertThat(metadata.get("actor").asText()).isEqualTo("system");
        assertThat(metadata.get("actorType").asText()).isEqualTo("system");
        assertThat(metadata.get("tenantId").asText()).isEqualTo(signUp.tenantId().value());
        assertThat(metadata.get("correlationId").asText()).isNotBlank();
    }

    @Test
    void concurrentAppendsAtTheSameSequenceSurfaceAsConcurrencyException() throws Exception {
        EventStorageEngine engine = node.getBean(EventStorageEngine.class);
        String aggregateId = "ten_probe" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        TenantId tenantId = new TenantId(aggregateId);
        engine.appendEvents(new GenericDomainEventMessage<>("Tenant", aggregateId, 0, new BrandAdded(tenantId, "zero")));

        for (int round = 1; round <= 5; round++) {
            long sequence = round;
            CyclicBarrier start = new CyclicBarrier(2);
            List<Callable<Object>> appends = new ArrayList<>();
            for (String writer : List.of("first", "second")) {
                appends.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    engine.appendEvents(new GenericDomainEventMessage<>("Tenant", aggregateId, sequence,
                            new BrandAdded(tenantId, writer + "-" + sequence)));
                    return writer;
                });
            }
            List<Object> outcomes = runConcurrently(appends);

            assertThat(outcomes).as("round %d", round).filteredOn(String.class::isInstance).hasSize(1);
            assertThat(outcomes).as("round %d", round).filteredOn(Throwable.class::isInstance).singleElement()
                    .isInstanceOf(ConcurrencyException.class);
        }
        assertThat(storedEvents(aggregateId)).extracting(StoredEvent::sequence)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void reRegisteringAnExistingTenantIsRefusedAsAStreamCreationConflict() {
        Accounts.SignUp signUp = node.getBean(Accounts.class)
                .signUp("Umbrella", "owner@umbrella.example", "correct horse battery", Plan.FREE);
        CommandGateway commands = node.getBean(CommandGateway.class);

        assertThatThrownBy(() -> commands.sendAndWait(new RegisterTenant(signUp.tenantId(), "Umbrella again",
                "ffffffffffffffffffffffff", 9999, Plan.FREE, MemberId.generate(), "other@umbrella.example")))
                .isInstanceOf(AggregateStreamCreationException.class)
                .isNotInstanceOf(EventStoreException.class);
    }

    /**
     * Two nodes on one database, each with its own command bus and aggregate locks: a table lock holds both
     * nodes' inserts back until both commands have loaded the aggregate at the same version, so exactly one
     * append must lose, and it must lose as a ConcurrencyException that a retry resolves.
     */
    @Test
    void twoNodesChangingOneTenantAtOnceConflictAsConcurrencyException() throws Exception {
        ConfigurableApplicationContext other = startNode("node-b");
        try {
            twoNodesConflict(other);
        } finally {
            other.close();
            contexts.remove(other);
        }
    }

    private void twoNodesConflict(ConfigurableApplicationContext other) throws Exception {
        Accounts.SignUp signUp = node.getBean(Accounts.class)
                .signUp("Globex", "owner@globex.example", "correct horse battery", Plan.PRO);
        Map<String, CommandGateway> gateways = Map.of(
                "node-a", node.getBean(CommandGateway.class),
                "node-b", other.getBean(CommandGateway.class));

        List<Object> outcomes;
        try (Connection lock = connect()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE domainevententry IN EXCLUSIVE MODE");
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Object>> futures = new ArrayList<>();
                gateways.forEach((name, gateway) -> futures.add(pool.submit(() -> {
                    try {
                        gateway.sendAndWait(new AddBrand(signUp.tenantId(), "Brand from " + name));
                        return name;
                    } catch (Exception e) {
                        return e;
                    }
                })));
                awaitBlockedInserts(lock, 2, Duration.ofSeconds(30));
                lock.commit();
                outcomes = new ArrayList<>();
                for (Future<Object> future : futures) {
                    outcomes.add(future.get(30, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }

        assertThat(outcomes).filteredOn(String.class::isInstance).hasSize(1);
        Object loser = outcomes.stream().filter(Throwable.class::isInstance).findFirst()
                .orElseGet(() -> fail("expected one of the two commands to lose, got " + outcomes));
        assertThat(loser).isInstanceOf(ConcurrencyException.class).isNotInstanceOf(EventStoreException.class);
        assertThat(storedEvents(signUp.tenantId().value())).extracting(StoredEvent::sequence)
                .containsExactly(0L, 1L);

        // the loser's node reloads the aggregate on a retry and succeeds
        String winner = (String) outcomes.stream().filter(String.class::isInstance).findFirst().orElseThrow();
        String retrying = winner.equals("node-a") ? "node-b" : "node-a";
        gateways.get(retrying).sendAndWait(new AddBrand(signUp.tenantId(), "Brand from " + retrying));
        List<StoredEvent> events = storedEvents(signUp.tenantId().value());
        assertThat(events).extracting(StoredEvent::sequence).containsExactly(0L, 1L, 2L);
        assertThat(events.subList(1, 3)).extracting(event -> event.payload().get("name").asText())
                .containsExactly("Brand from " + winner, "Brand from " + retrying);
    }

    private static void awaitBlockedInserts(Connection connection, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT count(*) FROM pg_locks l
                JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE NOT l.granted AND c.relname = 'domainevententry' AND n.nspname = ?""")) {
            query.setString(1, schema);
            while (true) {
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) >= expected) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    fail("the two nodes' inserts did not both wait on the table lock within " + timeout);
                }
                Thread.sleep(20);
            }
        }
    }

    /** Runs the tasks together; each outcome is the task's result or the exception it threw. */
    private static List<Object> runConcurrently(List<Callable<Object>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> task : tasks) {
                futures.add(pool.submit(() -> {
                    try {
                        return task.call();
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> future : futures) {
                outcomes.add(future.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
