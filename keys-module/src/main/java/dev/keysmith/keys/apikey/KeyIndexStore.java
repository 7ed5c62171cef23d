package dev.keysmith.keys.apikey;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.KeyIndex.TenantEntry;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyUsed;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The verification index's stored copy in MongoDB ({@code key_index}, {@code key_index_tenants}), kept by its own
 * tracking processor with the same rules as the in-memory index, plus the stream position it reflects
 * ({@code key_index_position}). A starting node loads it ({@link #loadInto}) and replays only the events after
 * that position: start-up time follows the number of keys, not the length of the history. Holds hashes, never a
 * secret. A key document is written before the position, so the copy is never behind the position it claims.
 */
@Component
@ProcessingGroup(KeyIndexStore.GROUP)
class KeyIndexStore extends KeyIndexRules {

    static final String GROUP = "key-index-store";
    private static final String POSITION = "position";

    private final MongoCollection<Document> keys;
    private final MongoCollection<Document> tenants;
    private final MongoCollection<Document> position;

    KeyIndexStore(MongoDatabase database) {
        this.keys = database.getCollection("key_index");
        this.tenants = database.getCollection("key_index_tenants");
        this.position = database.getCollection("key_index_position");
    }

    /**
     * Fills {@code index} from the copy and answers the position to follow the stream from, or null (and leaves
     * the index empty) when there is no copy yet: then the stream is replayed from its start.
     */
    TrackingToken loadInto(InMemoryKeyIndex index) {
        Document at = position.find(Filters.eq("_id", POSITION)).first();
        if (at == null) {
            return null;
        }
        for (Document tenant : tenants.find()) {
            index.storeTenant(tenant(tenant));
        }
        for (Document key : keys.find()) {
            index.store(key(key));
        }
        return GapAwareTrackingToken.newInstance(at.getLong("index"), at.getList("gaps", Long.class, List.of()));
    }

    @Override
    IndexedKey load(ApiKeyId keyId) {
        Document key = keys.find(Filters.eq("_id", keyId.value())).first();
        return key == null ? null : key(key);
    }

    @Override
    void store(IndexedKey key) {
        List<Document> secrets = new ArrayList<>();
        for (IndexedKey.Secret secret : key.secrets()) {
            secrets.add(new Document("hash", secret.hash().toString())
                    .append("replacedAt", text(secret.replacedAt()))
                    .append("validUntil", text(secret.validUntil())));
        }
        Document document = new Document("_id", key.keyId().value())
                .append("tenantId", key.tenantId().value())
                .append("name", key.name())
                .append("environment", key.environment().name())
                .append("brand", key.brand())
                .append("expires", text(key.expires()))
                .append("ips", key.ips().entries())
                .append("revokedAt", text(key.revokedAt()))
                .append("temporary", key.temporary())
                .append("secrets", secrets);
        keys.replaceOne(Filters.eq("_id", document.get("_id")), document, new ReplaceOptions().upsert(true));
        savePosition();
    }

    @Override
    TenantEntry loadTenant(TenantId tenantId) {
        Document tenant = tenants.find(Filters.eq("_id", tenantId.value())).first();
        return tenant == null ? null : tenant(tenant);
    }

    @Override
    void storeTenant(TenantEntry tenant) {
        Document document = new Document("_id", tenant.tenantId().value())
                .append("clientId", tenant.clientId())
                .append("teamNumber", tenant.teamNumber())
                .append("plan", tenant.plan().name());
        tenants.replaceOne(Filters.eq("_id", document.get("_id")), document, new ReplaceOptions().upsert(true));
        savePosition();
    }

    @ResetHandler
    void reset() {
        position.deleteMany(new Document());
        keys.deleteMany(new Document());
        tenants.deleteMany(new Document());
    }

    /**
     * Usage events change nothing in the index, but handling them keeps the stored position moving, so a starting
     * node does not read them again (they are most of the history).
     */
    @EventHandler
    void on(ApiKeyUsed event) {
        savePosition();
    }

    /**
     * Records the position of the event being handled (with the gaps below it), once per batch: when the batch's
     * unit of work prepares its commit, after its key documents were written.
     */
    private void savePosition() {
        if (!CurrentUnitOfWork.isStarted()) {
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        if (unitOfWork.getMessage() instanceof TrackedEventMessage<?> tracked
                && WrappedToken.unwrapLowerBound(tracked.trackingToken()) instanceof GapAwareTrackingToken token) {
            UnitOfWork<?> batch = unitOfWork.root();
            batch.resources().put(POSITION, token);
            batch.getOrComputeResource(POSITION + ".scheduled", key -> {
                batch.onPrepareCommit(committing -> savePosition((GapAwareTrackingToken) batch.resources().get(POSITION)));
                return Boolean.TRUE;
            });
        }
    }

    void savePosition(GapAwareTrackingToken token) {
        position.replaceOne(Filters.eq("_id", POSITION), new Document("_id", POSITION)
                .append("index", token.getIndex())
                .append("gaps", new ArrayList<>(token.getGaps())), new ReplaceOptions().upsert(true));
    }

    private static TenantEntry tenant(Document document) {
        return new TenantEntry(new TenantId(document.getString("_id")), document.getString("clientId"),
                document.get("teamNumber", Number.class).longValue(), Plan.valueOf(document.getString("plan")));
    }

    private static IndexedKey key(Document document) {
        List<IndexedKey.Secret> secrets = new ArrayList<>();
        for (Document secret : document.getList("secrets", Document.class)) {
            secrets.add(new IndexedKey.Secret(KeyHash.ofHex(secret.getString("hash")),
                    instant(secret.getString("replacedAt")), instant(secret.getString("validUntil"))));
        }
        return new IndexedKey(new ApiKeyId(document.getString("_id")), new TenantId(document.getString("tenantId")),
                document.getString("name"), Environment.valueOf(document.getString("environment")),
                document.getString("brand"), instant(document.getString("expires")),
                IpAllowlist.parse(document.getList("ips", String.class, List.of())),
                instant(document.getString("revokedAt")), document.getBoolean("temporary", false), secrets);
    }

    /** Instants as ISO-8601 text: exact to the nanosecond, as the events have them (a BSON date keeps millis). */
    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
