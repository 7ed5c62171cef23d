package dev.keysmith;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up bootstrap: the tenant, its owner and the key file are created once; a second start changes nothing. */
class BootstrapIntegrationTests {

    @TempDir
    Path dataDir;

    @Test
    void bootstrapCreatesTheTenantOnceAndWritesTheKeyFile() throws Exception {
        Path keyFile = dataDir.resolve("secrets/bootstrap.env");
        String email = TestData.email("bootstrap");
        String clientId;
        long events;
        try (ConfigurableApplicationContext first = start(email, keyFile)) {
            var credentials = first.getBean(Accounts.class).credentials(email).orElseThrow();
            var tenant = first.getBean(TenantDirectory.class).tenant(credentials.tenantId()).orElseThrow();
            assertThat(tenant.name()).isEqualTo("Bootstrap Corp");
            assertThat(tenant.plan()).isEqualTo(Plan.PRO);
            clientId = tenant.clientId();
            events = eventCount(first);
        }
        List<String> lines = Files.readAllLines(keyFile);
        assertThat(lines).hasSize(2).first().isEqualTo("clientId=" + clientId);
        assertThat(lines.get(1)).matches("key=ks_live_[0-9A-Za-z]{38}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        try (ConfigurableApplicationContext second = start(email, keyFile)) {
            assertThat(eventCount(second)).isEqualTo(events);
            var credentials = second.getBean(Accounts.class).credentials(email).orElseThrow();
            assertThat(second.getBean(TenantDirectory.class).tenant(credentials.tenantId()))
                    .as("the read models survive a restart of the embedded MongoDB")
                    .hasValueSatisfying(tenant -> assertThat(tenant.clientId()).isEqualTo(clientId));
        }
        assertThat(Files.readAllLines(keyFile)).isEqualTo(lines);
    }

    private ConfigurableApplicationContext start(String email, Path keyFile) {
        return new SpringApplicationBuilder(KeysmithApplication.class).run(
                "--server.port=0",
                "--keysmith.data-dir=" + dataDir,
                "--keysmith.bootstrap.tenant=Bootstrap Corp",
                "--keysmith.bootstrap.owner-email=" + email,
                "--keysmith.bootstrap.owner-password=" + TestData.PASSWORD,
                "--keysmith.bootstrap.key-file=" + keyFile);
    }

    private static long eventCount(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class).queryForObject("select count(*) from domainevententry", Long.class);
    }
}
