package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyRenamed;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Figure 4 of docs/performance.md, in one run on one database: key creates per second through the API
 * ({@code POST /api/v1/keys} over loopback HTTP from 4 client threads, each answered after the event is stored and
 * the projections caught up), then the event store's append rate against raw JDBC inserts of rows of the same size
 * into a scratch table of the same shape, one row per transaction and 100 per transaction, processors stopped.
 * Run: {@code ./mvnw -B -Pbench -pl app test-compile exec:exec -Dbench.main=dev.keysmith.AppendBenchmark
 * -Dbench.args="2000 h2"} (or {@code postgres}: a throwaway database on 127.0.0.1:5432, user postgres).
 */
public final class AppendBenchmark {

    public static void main(String[] arguments) throws Exception {
        String[] args = String.join(" ", arguments).trim().split("\\s+");
        int count = args.length > 0 && !args[0].isEmpty() ? Integer.parseInt(args[0]) : 2_000;
        boolean postgres = args.length > 1 && args[1].equals("postgres");
        String database = "ks_bench_" + System.currentTimeMillis();
        List<String> extra = new ArrayList<>();
        if (postgres) {
            admin("CREATE DATABASE " + database);
            extra.add("--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + database);
            extra.add("--spring.datasource.username=postgres");
        }
        Path dir = Files.createTempDirectory("keysmith-append");
        try (ConfigurableApplicationContext app = BenchApp.start(dir, extra.toArray(String[]::new))) {
            System.out.printf(Locale.ROOT, "database: %s%n", postgres ? "PostgreSQL " + database : "H2 (file, async:)");
            // a workspace holds 10 active keys per environment: an admin key and 9 creates in each
            Accounts accounts = app.getBean(Accounts.class);
            ApiKeys keys = app.getBean(ApiKeys.class);
            List<String> adminKeys = new ArrayList<>();
            TenantId tenant = null;
            for (int t = 0; t * 9 < count; t++) {
                tenant = accounts.signUp("Append " + t, "append-" + t + "@example.test", TestData.PASSWORD,
                        Plan.ENTERPRISE).tenantId();
                adminKeys.add(keys.create(tenant, new ApiKeys.NewKey("Admin", "production", null, List.of(), null))
                        .secret());
            }
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            createsThroughTheApi(port, adminKeys, count);

            app.getBean(EventProcessingConfiguration.class).eventProcessors().values().forEach(EventProcessor::shutDown);
            EventStorageEngine engine = app.getBean(EventStorageEngine.class);
            TransactionManager transactions = app.getBean(TransactionManager.class);
            DataSource dataSource = app.getBean(DataSource.class);
            ApiKeyId key = ApiKeyId.generate();
            MetaData meta = MetaData.with("tenantId", tenant.value()).and("actor", "owner@example.test")
                    .and("actorType", "USER").and("ip", "203.0.113.9").and("userAgent", "bench/1.0")
                    .and("correlationId", UUID.randomUUID().toString());
            long[] sequence = {0};
            try (Connection connection = dataSource.getConnection()) {
                createScratchTable(connection);
                for (int perTransaction : new int[]{1, 100}) {
                    long start = System.nanoTime();
                    for (int i = 0; i < count; i += perTransaction) {
                        List<DomainEventMessage<?>> batch = new ArrayList<>(perTransaction);
                        for (int j = 0; j < perTransaction; j++) {
                            long seq = sequence[0]++;
                            batch.add(new GenericDomainEventMessage<>("ApiKey", key.value(), seq,
                                    new ApiKeyRenamed(key, tenant, "Name " + seq, "Name " + (seq + 1)), meta));
                        }
                        transactions.executeInTransaction(() -> engine.appendEvents(batch));
                    }
                    double axon = count / ((System.nanoTime() - start) / 1e9);
                    double raw = rawInserts(connection, key.value(), count, perTransaction);
                    System.out.printf(Locale.ROOT, "append, %3d per transaction: event store %,.0f events/s, raw JDBC "
                            + "%,.0f rows/s: %.2f x%n", perTransaction, axon, raw, axon / raw);
                }
                try (Statement drop = connection.createStatement()) {
                    drop.execute("DROP TABLE bench_append");
                }
            }
        } finally {
            if (postgres) {
                admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
        System.exit(0);
    }

    private static void createsThroughTheApi(int port, List<String> adminKeys, int count) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        long start = System.nanoTime();
        for (int t = 0; t < 4; t++) {
            threads.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/keys"))
                            .header("Authorization", "Bearer " + adminKeys.get(i / 9)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Bench " + i
                                    + "\",\"environment\":\"production\"}")).build();
                    long sent = System.nanoTime();
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    latencies.add(System.nanoTime() - sent);
                    if (response.statusCode() != 201) {
                        failed.incrementAndGet();
                        System.out.println("create answered " + response.statusCode() + ": " + response.body());
                    }
                }
                return null;
            });
        }
        threads.shutdown();
        threads.awaitTermination(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "creates through the API: %,d in %.1f s: %,.0f creates/s, p50 %.1f ms, p99 %.1f ms, "
                        + "%d failed%n", count, seconds, count / seconds, sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) (sorted.size() * 0.99)) / 1e6, failed.get());
    }

    /** A table of the event table's shape, for rows of the same size as the events just appended. */
    private static void createScratchTable(Connection connection) throws Exception {
        String binary = connection.getMetaData().getDatabaseProductName().contains("PostgreSQL") ? "BYTEA" : "VARBINARY";
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE bench_append (globalindex BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                    + "eventidentifier VARCHAR(255) NOT NULL UNIQUE, aggregateidentifier VARCHAR(255) NOT NULL, "
                    + "sequencenumber BIGINT NOT NULL, type VARCHAR(255), timestamp VARCHAR(255) NOT NULL, "
                    + "payloadtype VARCHAR(255) NOT NULL, payloadrevision VARCHAR(255), payload " + binary + " NOT NULL, "
                    + "metadata " + binary + ", UNIQUE (aggregateidentifier, sequencenumber))");
        }
    }

    /** Raw inserts of copies of the last stored event's row (same sizes), {@code perTransaction} rows a commit. */
    private static double rawInserts(Connection connection, String aggregate, int count, int perTransaction)
            throws Exception {
        byte[] payload;
        byte[] metadata;
        String type;
        String payloadType;
        try (PreparedStatement last = connection.prepareStatement("SELECT type, payloadtype, payload, metadata FROM "
                + "domainevententry WHERE aggregateidentifier = ? ORDER BY sequencenumber DESC LIMIT 1")) {
            last.setString(1, aggregate);
            try (ResultSet row = last.executeQuery()) {
                row.next();
                type = row.getString(1);
                payloadType = row.getString(2);
                payload = row.getBytes(3);
                metadata = row.getBytes(4);
            }
        }
        connection.setAutoCommit(false);
        String rawAggregate = UUID.randomUUID().toString();
        long start = System.nanoTime();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_append (eventidentifier, "
                + "aggregateidentifier, sequencenumber, type, timestamp, payloadtype, payloadrevision, payload, metadata) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, rawAggregate);
                insert.setLong(3, i);
                insert.setString(4, type);
                insert.setString(5, java.time.Instant.now().toString());
                insert.setString(6, payloadType);
                insert.setString(7, "1");
                insert.setBytes(8, payload);
                insert.setBytes(9, metadata);
                insert.addBatch();
                if ((i + 1) % perTransaction == 0) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        connection.setAutoCommit(true);
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static void admin(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
