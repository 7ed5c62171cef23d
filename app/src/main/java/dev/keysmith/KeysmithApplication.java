package dev.keysmith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.autoconfigure.session.SessionAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Keysmith: the whole product in one process (the modules are the sub-packages of {@code dev.keysmith}). */
// sessions: in memory, or shared in the database with KEYSMITH_SHARED_SESSIONS=true (SharedSessions)
@SpringBootApplication(exclude = {MongoAutoConfiguration.class, SessionAutoConfiguration.class})
@ConfigurationPropertiesScan
@EnableScheduling
public class KeysmithApplication {

    public static void main(String[] args) {
        if (args.length > 0 && "verify-export".equals(args[0])) {
            // Offline verification of an audit export: no Spring, no stores (README "Audit").
            System.exit(dev.keysmith.audit.ExportVerifier.run(java.util.Arrays.copyOfRange(args, 1, args.length),
                    System.out, System.err));
        }
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(KeysmithApplication.class, args);
    }
}
