package dev.keysmith;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        // webhooks also uses the keys module's ids and value types (TenantId, Environment, KeysmithException...),
        // which its events are made of, but never its facades or commands: it reads key events, it changes no key
        ApplicationModule webhooks = MODULES.getModuleByName("webhooks").orElseThrow();
        assertThat(webhooks.getAllowedDependencies(MODULES).toString()).isEqualTo("keys, keys :: events");
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAPackage("dev.keysmith.webhooks..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.keysmith.keys.ApiKeys")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.keysmith.keys.Accounts")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.keysmith.keys.TenantDirectory")
                .orShould().dependOnClassesThat().resideInAPackage("dev.keysmith.keys.apikey..")
                .orShould().dependOnClassesThat().resideInAPackage("dev.keysmith.keys.tenant..")
                .orShould().dependOnClassesThat().haveNameMatching("dev\\.keysmith\\.keys\\.(ApiKeyCommands|TenantCommands).*")
                .check(new com.tngtech.archunit.core.importer.ClassFileImporter().importPackages("dev.keysmith.webhooks"));
    }

    /** Audit reads the events of keys and webhooks and the API types they carry (ids, views), never the web. */
    @Test
    void theAuditModuleUsesOnlyTheKeysAndWebhooksApiAndEvents() {
        ApplicationModule audit = MODULES.getModuleByName("audit").orElseThrow();
        assertThat(audit.getDependencies(MODULES).uniqueModules().map(ApplicationModule::getName))
                .isSubsetOf("keys", "webhooks");
        assertThat(audit.getAllowedDependencies(MODULES).toString()).contains("keys :: events")
                .doesNotContain("web,").doesNotEndWith("web");
    }

    /**
     * The Documenter writes a diagram's relations in an order that varies from run to run; sorted, the committed
     * snapshot changes only when the modules do.
     */
    static String sortRelations(String puml) {
        String[] lines = puml.split("\n", -1);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("Rel(")) {
                at.add(i);
            }
        }
        List<String> relations = at.stream().map(i -> lines[i]).sorted().toList();
        for (int i = 0; i < at.size(); i++) {
            lines[at.get(i)] = relations.get(i);
        }
        return String.join("\n", lines);
    }

    /** Writes the module documentation into docs/modules, so the committed snapshot follows the code. */
    @Test
    void theDocumentationIsWritten() throws IOException {
        Path output = Path.of("..", "docs", "modules");
        FileSystemUtils.deleteRecursively(output);

        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(output.toString()))
                .writeDocumentation();
        try (Stream<Path> files = Files.list(output)) {
            for (Path puml : files.filter(file -> file.toString().endsWith(".puml")).toList()) {
                Files.writeString(puml, sortRelations(Files.readString(puml)));
            }
        }

        assertThat(output).isDirectory();
        try (Stream<Path> files = Files.list(output)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .contains("components.puml", "module-keys.puml", "module-audit.puml", "module-webhooks.puml",
                            "module-web.puml", "module-keys.adoc");
        }
    }
}
