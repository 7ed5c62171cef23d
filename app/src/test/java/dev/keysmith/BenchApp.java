package dev.keysmith;

import dev.keysmith.keys.Verification;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The application in-process for the benchmarks' mains (the {@code bench} profile): quiet, on a data directory. */
final class BenchApp {

    private BenchApp() {
    }

    static ConfigurableApplicationContext start(Path dir, String... extra) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--keysmith.data-dir=" + dir,
                "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--keysmith.keys.management-per-minute=1000000"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(KeysmithApplication.class).run(args.toArray(String[]::new));
    }

    static void awaitVerified(ConfigurableApplicationContext app, String key) throws InterruptedException {
        Verification verification = app.getBean(Verification.class);
        InetAddress caller = InetAddress.getLoopbackAddress();
        while (!verification.verifyKey(key, null, caller, true, Instant.now()).ok()) {
            Thread.sleep(5);
        }
    }
}
