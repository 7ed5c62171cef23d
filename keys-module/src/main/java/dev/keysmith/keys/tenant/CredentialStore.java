package dev.keysmith.keys.tenant;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.keysmith.keys.Credentials;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.TenantId;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.Date;
import java.util.Optional;

/**
 * Password hashes, outside the event store so they can be changed and erased: the {@code credentials}
 * collection, one document per member, with a unique index on the email (the command-side check that an email
 * belongs to one member only). Also hands out team numbers from a counter.
 */
@Component
public class CredentialStore {

    private final MongoCollection<Document> credentials;
    private final MongoCollection<Document> counters;

    CredentialStore(MongoDatabase database) {
        this.credentials = database.getCollection("credentials");
        this.counters = database.getCollection("counters");
        credentials.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
    }

    /** Stores a new member's credentials; false when the email is taken. */
    boolean insert(MemberId memberId, TenantId tenantId, String email, String passwordHash, boolean mustChange) {
        try {
            credentials.insertOne(new Document("_id", memberId.value())
                    .append("tenantId", tenantId.value())
                    .append("email", email)
                    .append("passwordHash", passwordHash)
                    .append("mustChangePassword", mustChange)
                    .append("updated", new Date()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    Optional<Credentials> byEmail(String email) {
        return Optional.ofNullable(credentials.find(Filters.eq("email", email)).first()).map(CredentialStore::view);
    }

    Optional<Credentials> byMember(MemberId memberId) {
        return Optional.ofNullable(credentials.find(Filters.eq("_id", memberId.value())).first())
                .map(CredentialStore::view);
    }

    void updatePassword(MemberId memberId, String passwordHash) {
        credentials.updateOne(Filters.eq("_id", memberId.value()), Updates.combine(
                Updates.set("passwordHash", passwordHash),
                Updates.set("mustChangePassword", false),
                Updates.set("updated", new Date())));
    }

    void delete(MemberId memberId) {
        credentials.deleteOne(Filters.eq("_id", memberId.value()));
    }

    /**
     * The next team number. Synchronised: real MongoDB makes findOneAndUpdate atomic, but the embedded
     * mongo-java-server can hand two concurrent callers the same "after" document.
     */
    synchronized long nextTeamNumber() {
        Document counter = counters.findOneAndUpdate(Filters.eq("_id", "teamNumber"), Updates.inc("value", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return 1000 + counter.get("value", Number.class).longValue();
    }

    private static Credentials view(Document document) {
        return new Credentials(new MemberId(document.getString("_id")), new TenantId(document.getString("tenantId")),
                document.getString("email"), document.getString("passwordHash"),
                document.getBoolean("mustChangePassword", false));
    }
}
