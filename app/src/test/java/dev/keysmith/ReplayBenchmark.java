package dev.keysmith;

import dev.keysmith.audit.Replays;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;

/**
 * Figure 5 of docs/performance.md: replay rate against a raw JDBC scan of the same event table, in one run.
 * Appends {@code events} events of one workspace straight to the storage engine (processors stopped), scans the
 * table with plain JDBC (every column read, as the storage engine reads it), then rebuilds each projection alone
 * through the Replay service and reports events/s and the ratio to the scan. {@code tenant-directory} handles none
 * of these key events: its rate is the framework's own ceiling (reading, tracking, token updates).
 * Run: {@code ./mvnw -B -Pbench -pl app test-compile exec:exec -Dbench.main=dev.keysmith.ReplayBenchmark
 * -Dbench.args="1000000 tenant-directory,key-table,audit-trail"} (add {@code --spring.datasource.url=jdbc:postgresql://...} for
 * PostgreSQL).
 */
public final class ReplayBenchmark {

    public static void main(String[] arguments) throws Exception {
        String[] args = String.join(" ", arguments).trim().split("\\s+");
        int events = args.length > 0 && !args[0].isEmpty() ? Integer.parseInt(args[0]) : 1_000_000;
        List<String> projections = List.of((args.length > 1 ? args[1] : "tenant-directory,key-table,audit-trail").split(","));
        String[] extra = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length) : new String[0];
        Path dir = Files.createTempDirectory("keysmith-replay");
        try (ConfigurableApplicationContext app = BenchApp.start(dir, extra)) {
            TenantId tenant = app.getBean(Accounts.class).signUp("Replay", "replay@example.test", TestData.PASSWORD,
                    Plan.ENTERPRISE).tenantId();
            Thread.sleep(2_000);
            app.getBean(EventProcessingConfiguration.class).eventProcessors().values().forEach(EventProcessor::shutDown);
            EventStorageEngine engine = app.getBean(EventStorageEngine.class);
            TransactionManager transactions = app.getBean(TransactionManager.class);
            long appendStart = System.nanoTime();
            UsageHistory.generate(tenant, events, batch -> transactions.executeInTransaction(() -> engine.appendEvents(batch)));
            double appendSeconds = (System.nanoTime() - appendStart) / 1e9;
            System.out.printf(Locale.ROOT, "appended %,d events in %.1f s (%,.0f events/s, batches of %d)%n", events,
                    appendSeconds, events / appendSeconds, UsageHistory.BATCH);
        }
        // A node started on that history, as an operator's replay would find it: processors stopped, then each
        // projection rebuilt alone while nothing else runs.
        try (ConfigurableApplicationContext app = BenchApp.start(dir, extra)) {
            EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
            processing.eventProcessors().values().forEach(EventProcessor::shutDown);
            DataSource dataSource = app.getBean(DataSource.class);
            double scan = 0;
            for (int run = 1; run <= 2; run++) {
                long start = System.nanoTime();
                long cpu = cpuNanos();
                long rows = scan(dataSource);
                double seconds = (System.nanoTime() - start) / 1e9;
                scan = rows / seconds;
                System.out.printf(Locale.ROOT, "raw JDBC scan %d: %,d rows in %.1f s: %,.0f rows/s (%,.0f per CPU second)%n",
                        run, rows, seconds, scan, rows / ((cpuNanos() - cpu) / 1e9));
            }
            Replays replays = app.getBean(Replays.class);
            for (String name : projections) {
                long start = System.nanoTime();
                long cpu = cpuNanos();
                replays.start(name);
                Replays.Status status;
                do {
                    Thread.sleep(100);
                    status = replays.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
                    if (status.error() != null) {
                        throw new IllegalStateException(name + " failed: " + status.error());
                    }
                } while (!status.caughtUp());
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = (status.head() + 1) / seconds;
                System.out.printf(Locale.ROOT, "replay %s: %,d events in %.1f s: %,.0f events/s (%,.0f per CPU second) "
                        + "= %.1f %% of the raw scan%n", name, status.head() + 1, seconds, rate,
                        (status.head() + 1) / ((cpuNanos() - cpu) / 1e9), 100 * rate / scan);
                processing.eventProcessor(name).ifPresent(EventProcessor::shutDown);
            }
        }
        System.exit(0); // Axon's processor threads would keep the JVM alive
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Reads every row and column of the event table in global order, as the storage engine does. */
    private static long scan(DataSource dataSource) throws Exception {
        long rows = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement query = connection.prepareStatement("SELECT globalindex, eventidentifier, "
                    + "aggregateidentifier, sequencenumber, type, timestamp, payloadtype, payloadrevision, payload, "
                    + "metadata FROM domainevententry ORDER BY globalindex")) {
                query.setFetchSize(1_000);
                try (ResultSet result = query.executeQuery()) {
                    long sink = 0;
                    while (result.next()) {
                        sink += result.getLong(1) + result.getString(2).length() + result.getString(3).length()
                                + result.getLong(4) + result.getString(6).length() + result.getString(7).length()
                                + result.getBytes(9).length + result.getBytes(10).length;
                        rows++;
                    }
                    if (sink == 42) {
                        System.out.print("");
                    }
                }
            }
            connection.commit();
        }
        return rows;
    }
}
