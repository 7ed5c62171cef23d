package dev.keysmith;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantId;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No plaintext key anywhere it could leak: after keys are created, rotated, verified, refused and issued as
 * temporary keys, neither the event store (payloads and metadata), nor any MongoDB collection, nor the log holds
 * anything shaped like a key.
 */
@KeysmithIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class NoPlaintextSecretsIntegrationTests {

    static final Pattern KEY = Pattern.compile("ks_(live|test|dev)_[0-9A-Za-z]{38}");

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @Autowired
    TenantDirectory directory;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MongoDatabase mongo;

    @Test
    void noStoreAndNoLogLineHoldsAKey(CapturedOutput output) {
        TenantId tenant = accounts.signUp("Leaks", TestData.email("leak"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        String admin = keys.create(tenant, new ApiKeys.NewKey("Admin", "production", null, List.of(), null)).secret();
        Api api = new Api(port);
        List<String> secrets = new ArrayList<>(List.of(admin));
        Api.Response created = api.post("/api/v1/keys", admin, Map.of("name", "Leak test", "environment", "development",
                "ips", List.of("10.0.0.0/8")));
        secrets.add(created.json().get("secret").asText());
        Api.Response rotated = api.post("/api/v1/keys/" + created.json().get("id").asText() + "/rotate", admin,
                Map.of("gracePeriodSeconds", 60));
        secrets.add(rotated.json().get("secret").asText());
        api.get("/api/v1/whoami", secrets.get(1));
        api.get("/api/v1/whoami", "Bearer " + secrets.get(2));
        api.post("/api/v1/keys/verify", admin, Map.of("key", secrets.get(2)));
        Api.Response temporary = api.send("POST", "/api/v1/keys/temporary-key", null,
                Map.of("selectedTeamId", directory.tenant(tenant).orElseThrow().teamNumber(), "isTestmode", true),
                Map.of("CERTS-TOKEN", "test-certs-token"));
        secrets.add(temporary.json().get("key").asText());
        api.delete("/api/v1/keys/" + created.json().get("id").asText() + "?reason=leaked", admin);
        assertThat(secrets).allMatch(secret -> KEY.matcher(secret).matches());

        List<String> stored = jdbc.query("select payload, metadata from domainevententry", (rs, row) ->
                new String(rs.getBytes(1), StandardCharsets.UTF_8) + " " + new String(rs.getBytes(2), StandardCharsets.UTF_8));
        assertThat(stored).as("events").isNotEmpty().noneMatch(text -> KEY.matcher(text).find());

        int documents = 0;
        for (String collection : mongo.listCollectionNames()) {
            for (Document document : mongo.getCollection(collection).find()) {
                documents++;
                assertThat(KEY.matcher(document.toJson()).find()).as(collection + " " + document.get("_id")).isFalse();
            }
        }
        assertThat(documents).isPositive();
        assertThat(KEY.matcher(output.getAll()).find()).as("log output").isFalse();
    }
}
