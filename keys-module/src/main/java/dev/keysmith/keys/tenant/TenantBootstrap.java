package dev.keysmith.keys.tenant;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Actor;
import dev.keysmith.keys.Credentials;
import dev.keysmith.keys.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the bootstrap tenant (Pro plan), its owner and one Production API key on the first start where the
 * bootstrap settings are given, and writes the key file ({@code KEY=VALUE} lines, mode 600). Idempotent: when the owner's email already has an
 * account, nothing changes.
 */
@Component
class TenantBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(TenantBootstrap.class);

    private final BootstrapProperties properties;
    private final Accounts accounts;
    private final ApiKeys apiKeys;

    TenantBootstrap(BootstrapProperties properties, Accounts accounts, ApiKeys apiKeys) {
        this.properties = properties;
        this.accounts = accounts;
        this.apiKeys = apiKeys;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.enabled()) {
            return;
        }
        Optional<Credentials> existing = accounts.credentials(properties.ownerEmail());
        if (existing.isPresent()) {
            log.info("Bootstrap: the owner {} already has an account; nothing to do", properties.ownerEmail());
            return;
        }
        Accounts.SignUp signUp = Actor.runAs(Actor.system("bootstrap"), () -> accounts.signUp(
                properties.tenant(), properties.ownerEmail(), properties.ownerPassword(), Plan.PRO));
        log.info("Bootstrap: created tenant {} ({}) with owner {}", properties.tenant(), signUp.tenantId(),
                properties.ownerEmail());
        ApiKeys.IssuedKey key = Actor.runAs(Actor.system("bootstrap"), () -> apiKeys.create(signUp.tenantId(),
                new ApiKeys.NewKey("Bootstrap key", "production", null, List.of(), null)));
        log.info("Bootstrap: issued Production key {} ({})", key.key().id(), key.key().masked());
        if (BootstrapProperties.notBlank(properties.keyFile())) {
            Map<String, String> lines = new LinkedHashMap<>();
            lines.put("clientId", signUp.clientId());
            lines.put("key", key.secret());
            writeKeyFile(Path.of(properties.keyFile()), lines);
            log.info("Bootstrap: wrote the Client ID and the key to {}", properties.keyFile());
        }
    }

    static void writeKeyFile(Path file, Map<String, String> lines) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".keysmith-bootstrap", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the file keeps the platform's default permissions
            }
            StringBuilder content = new StringBuilder();
            lines.forEach((key, value) -> content.append(key).append('=').append(value).append('\n'));
            Files.writeString(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the bootstrap key file " + file, e);
        }
    }
}
