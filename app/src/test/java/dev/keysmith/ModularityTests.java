package dev.keysmith;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module structure: exactly the four modules, no cycles, and no module reaching into another's internals or
 * beyond its allowed dependencies. Also writes the module documentation (PlantUML and canvases) to
 * {@code target/spring-modulith-docs}.
 */
class ModularityTests {

    private static final ApplicationModules MODULES = ApplicationModules.of(KeysmithApplication.class);

    @Test
    void theModulesAreKeysAuditWebhooksAndWeb() {
        assertThat(MODULES.stream().map(ApplicationModule::getIdentifier).map(Object::toString))
                .containsExactlyInAnyOrder("keys", "audit", "webhooks", "web");
    }

    @Test
    void theModulesRespectTheirBoundaries() {
        MODULES.verify();
    }

    @Test
    void theKeysModuleDependsOnNoOtherModule() {
        ApplicationModule keys = MODULES.getModuleByName("keys").orElseThrow();
        assertThat(keys.getDependencies(MODULES).uniqueModules().map(ApplicationModule::getName)).isEmpty();
    }

    @Test
    void theEventConsumersMayOnlyUseTheKeysEvents() {
        ApplicationModule webhooks = MODULES.getModuleByName("webhooks").orElseThrow();
        assertThat(webhooks.getAllowedDependencies(MODULES).toString()).isEqualTo("keys :: events");
    }

    /** Audit reads the keys events and the keys API types they carry (ids, views), never another module. */
    @Test
    void theAuditModuleUsesOnlyTheKeysApiAndEvents() {
        ApplicationModule audit = MODULES.getModuleByName("audit").orElseThrow();
        assertThat(audit.getDependencies(MODULES).uniqueModules().map(ApplicationModule::getName))
                .containsExactly("keys");
        assertThat(audit.getAllowedDependencies(MODULES).toString()).contains("keys :: events")
                .doesNotContain("webhooks").doesNotContain("web");
    }

    /** Writes the module documentation into docs/modules, so the committed snapshot follows the code. */
    @Test
    void theDocumentationIsWritten() throws IOException {
        Path output = Path.of("..", "docs", "modules");
        FileSystemUtils.deleteRecursively(output);

        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(output.toString()))
                .writeDocumentation();

        assertThat(output).isDirectory();
        try (Stream<Path> files = Files.list(output)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .contains("components.puml", "module-keys.puml", "module-audit.puml", "module-webhooks.puml",
                            "module-web.puml", "module-keys.adoc");
        }
    }
}
