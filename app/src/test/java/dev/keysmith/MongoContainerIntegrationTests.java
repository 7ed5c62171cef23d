package dev.keysmith;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantDirectory;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application on a real MongoDB (a single-node replica set in Docker) instead of the embedded server: a sign-up
 * lands in the {@code tenants}, {@code members} and {@code credentials} collections of the configured database.
 * The event store is the default embedded H2 under a temporary data directory. Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class MongoContainerIntegrationTests {

    private static final String DATABASE = "keysmith_it";

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7");

    @TempDir
    static Path dataDir;

    private static ConfigurableApplicationContext context;
    private static MongoClient client;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(KeysmithApplication.class).run(
                "--keysmith.mongodb-uri=" + MONGO.getReplicaSetUrl(),
                "--keysmith.secrets-key=z9PuhCTySm4IVgj1rYAnsu1kT/JSSP4WZWDo0LZqD9s=",
                "--keysmith.mongodb-database=" + DATABASE,
                "--keysmith.data-dir=" + dataDir,
                "--spring.datasource.url=",
                "--keysmith.bootstrap.tenant=",
                "--server.port=0",
                "--spring.main.banner-mode=off");
        client = MongoClients.create(MONGO.getReplicaSetUrl());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (context != null) {
            context.close();
        }
    }

    @Test
    void theApplicationUsesTheConfiguredMongoDbAndNoEmbeddedServer() {
        assertThat(context.getBeansOfType(MongoConfiguration.EmbeddedMongo.class)).isEmpty();
        assertThat(context.getBean(MongoDatabase.class).getName()).isEqualTo(DATABASE);
    }

    @Test
    void aSignUpIsProjectedIntoTheRealMongoDb() {
        Accounts.SignUp signUp = context.getBean(Accounts.class)
                .signUp("Acme on Mongo", "owner@mongo.example", "correct horse battery", Plan.ENTERPRISE);

        MongoDatabase database = client.getDatabase(DATABASE);
        Document tenant = database.getCollection("tenants")
                .find(Filters.eq("_id", signUp.tenantId().value())).first();
        assertThat(tenant).isNotNull();
        assertThat(tenant.getString("name")).isEqualTo("Acme on Mongo");
        assertThat(tenant.getString("clientId")).isEqualTo(signUp.clientId());
        assertThat(tenant.getString("plan")).isEqualTo("ENTERPRISE");
        assertThat(tenant.get("teamNumber", Number.class).longValue()).isEqualTo(signUp.teamNumber());

        Document owner = database.getCollection("members").find(Filters.eq("_id", signUp.ownerId().value())).first();
        assertThat(owner).isNotNull();
        assertThat(owner.getString("tenantId")).isEqualTo(signUp.tenantId().value());
        assertThat(owner.getString("role")).isEqualTo("OWNER");

        Document credentials = database.getCollection("credentials")
                .find(Filters.eq("email", "owner@mongo.example")).first();
        assertThat(credentials).isNotNull();
        assertThat(credentials.getString("passwordHash")).startsWith("$2").doesNotContain("correct horse battery");

        assertThat(context.getBean(TenantDirectory.class).tenant(signUp.tenantId())).isPresent();
    }
}
