package dev.keysmith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One Keysmith node as a child JVM on the test classpath's main class, so that it can be killed (SIGKILL) like a
 * crashed server: Spring settings as {@code --name=value} arguments, stores through the environment
 * ({@code KEYSMITH_DB_URL}, {@code KEYSMITH_MONGODB_URI}, ...) or the data directory, output to
 * {@code <dir>/<name>-<n>.log}. Webhook targets on loopback are allowed and retried quickly.
 */
final class Node implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(120);

    final String name;
    final Path dir;
    final int port;
    final Api api;
    private final Map<String, String> env;
    private final Map<String, String> settings;
    private Process process;
    private int starts;

    Node(String name, Path dir, int port, Map<String, String> env, Map<String, String> settings) {
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.api = new Api(port);
        this.env = env;
        this.settings = new LinkedHashMap<>(Map.of(
                "keysmith.webhooks.allow-insecure-targets", "true",
                "keysmith.webhooks.timeout", "2s",
                "keysmith.webhooks.lease", "4s",
                "keysmith.webhooks.poll-interval", "100ms",
                "keysmith.webhooks.retry-schedule", "0s,500ms,500ms,500ms,500ms,500ms",
                "keysmith.keys.management-per-minute", "100000"));
        this.settings.putAll(settings);
    }

    /** Settings that make this node create the workspace "Nodes Corp" and write its key to {@code keyFile}. */
    static Map<String, String> bootstrap(String email, Path keyFile) {
        return Map.of("keysmith.bootstrap.tenant", "Nodes Corp",
                "keysmith.bootstrap.owner-email", email,
                "keysmith.bootstrap.owner-password", TestData.PASSWORD,
                "keysmith.bootstrap.key-file", keyFile.toString());
    }

    /** The bootstrap key written to {@code keyFile}, once it is there. */
    static String bootstrapKey(Path keyFile) {
        Receiver.await("the bootstrap key file", START, () -> Files.exists(keyFile));
        Properties bootstrap = new Properties();
        try (var reader = Files.newBufferedReader(keyFile)) {
            bootstrap.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String key = bootstrap.getProperty("key");
        SecretRegistry.add(key);
        return key;
    }

    /** Starts the JVM (again, after a kill or stop) and waits until /actuator/health answers 200. */
    Node start() {
        try {
            Files.createDirectories(dir);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                    "-Daxoniq.update-checker.disabled=true", "-cp", System.getProperty("java.class.path"),
                    "dev.keysmith.KeysmithApplication", "--server.port=" + port, "--spring.main.banner-mode=off"));
            settings.forEach((key, value) -> command.add("--" + key + "=" + value));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + "-" + (++starts) + ".log").toFile());
            builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Receiver.await(name + " to start", START, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + dir);
            }
            try {
                return api.get("/actuator/health", null).status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        return this;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the other nodes. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM: a graceful stop. */
    void stop() {
        if (alive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
