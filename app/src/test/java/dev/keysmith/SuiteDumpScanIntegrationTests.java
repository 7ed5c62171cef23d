package dev.keysmith;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import org.bson.Document;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs last ({@code junit-platform.properties} orders classes by {@link Order}): every plaintext key and webhook
 * secret the suite was given ({@link SecretRegistry}: every API response that carried one and every key sent as a
 * Bearer) is searched for in every MongoDB collection, every row of every event-store table (events with their
 * metadata, snapshots, tokens, and any table added later) and the whole suite's output ({@link SuiteOutput}). The
 * generic key and webhook-secret shapes are searched for too, to catch a secret the registry missed.
 */
@KeysmithIntegrationTest
@Order(Integer.MAX_VALUE)
class SuiteDumpScanIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MongoDatabase mongo;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiKeys keys;
    @LocalServerPort
    int port;

    @Test
    void noStoreAndNoLogLineOfTheWholeSuiteHoldsAPlaintextSecret() throws Exception {
        // this class's own secrets, so the scan has something to look for when it runs alone
        TenantId tenant = accounts.signUp("Dump scan", TestData.email("dump"), TestData.PASSWORD, Plan.ENTERPRISE).tenantId();
        String admin = SecretRegistry.add(keys.create(tenant, new ApiKeys.NewKey("Dump", "production", null, List.of(), null)).secret());
        Api api = new Api(port);
        api.post("/api/v1/keys", admin, Map.of("name", "Dump 2", "environment", "sandbox"));
        api.post("/api/v1/webhooks", admin, Map.of("name", "Dump", "url", "https://93.184.216.34/dump",
                "events", List.of("key.created")));

        Set<String> secrets = SecretRegistry.all();
        List<String> needles = new ArrayList<>();
        for (String secret : secrets) {
            needles.add(secret);
            if (secret.startsWith("whsec_")) {
                String raw = secret.substring("whsec_".length());
                needles.add(raw);
                needles.add(Base64.getEncoder().encodeToString(Base64.getDecoder().decode(raw)));
            }
        }
        long keys = secrets.stream().filter(s -> s.startsWith("ks_")).count();
        List<String> found = new ArrayList<>();

        int documents = 0;
        int collections = 0;
        for (String collection : mongo.listCollectionNames()) {
            collections++;
            for (Document document : mongo.getCollection(collection).find()) {
                documents++;
                scan("mongo " + collection + " " + document.get("_id"), document.toJson(), needles, found);
            }
        }

        int rows = 0;
        List<String> tables = jdbc.queryForList("select table_name from information_schema.tables "
                + "where table_schema = 'PUBLIC' and table_type = 'BASE TABLE'", String.class);
        for (String table : tables) {
            for (Map<String, Object> row : jdbc.queryForList("select * from \"" + table + "\"")) {
                rows++;
                StringBuilder text = new StringBuilder();
                row.values().forEach(value -> text.append(value instanceof byte[] bytes
                        ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value)).append(' '));
                scan("table " + table, text.toString(), needles, found);
            }
        }

        SuiteOutput.flush();
        String output = SuiteOutput.capturing() ? Files.readString(SuiteOutput.FILE, StandardCharsets.UTF_8) : "";
        scan("suite output", output, needles, found);

        System.out.printf("Dump scan: %d plaintext keys and %d webhook secrets searched for in %d documents of %d "
                        + "MongoDB collections, %d rows of %d event-store tables %s and %,d characters of suite output "
                        + "(capturing: %s): %d found%n", keys, secrets.size() - keys, documents, collections, rows,
                tables.size(), tables, output.length(), SuiteOutput.capturing(), found.size());
        assertThat(found).isEmpty();
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(3);
        assertThat(documents).isPositive();
        assertThat(rows).isPositive();
        assertThat(tables).map(String::toLowerCase).contains("domainevententry", "snapshotevententry", "tokenentry");
    }

    private static void scan(String where, String text, List<String> needles, List<String> found) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                found.add(where + " holds " + needle.substring(0, 12) + "...");
            }
        }
        var key = SecretRegistry.KEY.matcher(text);
        if (key.find()) {
            found.add(where + " holds something shaped like a key: " + key.group().substring(0, 12) + "...");
        }
        var webhookSecret = SecretRegistry.WEBHOOK_SECRET.matcher(text);
        if (webhookSecret.find()) {
            found.add(where + " holds something shaped like a webhook secret: " + webhookSecret.group().substring(0, 10) + "...");
        }
    }
}
