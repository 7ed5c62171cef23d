package dev.keysmith.audit.trail;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.MongoWriteException;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.keysmith.audit.AuditChain;
import dev.keysmith.audit.AuditFilter;
import dev.keysmith.audit.AuditRecord;
import dev.keysmith.audit.ChainHead;
import dev.keysmith.audit.EventDescriber;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trail's collections: {@code audit_trail} (one document per record, {@code _id} = tenant and zero-padded
 * position, unique on event id), {@code audit_heads} (each tenant's last position and hash) and
 * {@code audit_subjects} (what descriptions need to remember: a key's name and prefix by id, a member's email...).
 */
@Component
class TrailStore implements EventDescriber.Subjects {

    private final MongoCollection<Document> trail;
    private final MongoCollection<Document> heads;
    private final MongoCollection<Document> subjects;

    TrailStore(MongoDatabase database) {
        this.trail = database.getCollection("audit_trail");
        this.heads = database.getCollection("audit_heads");
        this.subjects = database.getCollection("audit_subjects");
        trail.createIndex(Indexes.ascending("eventId"), new IndexOptions().unique(true));
        trail.createIndex(Indexes.ascending("tenantId", "position"), new IndexOptions().unique(true));
        subjects.createIndex(Indexes.ascending("tenantId", "kind"));
    }

    static String id(String tenantId, long position) {
        return tenantId + ":" + String.format("%019d", position);
    }

    /**
     * Heads and subjects as this node last wrote them. Only the trail's processor writes (one segment, one owner at a
     * time); a stale head after an ownership change shows up as a duplicate position and is re-read.
     */
    private final Map<String, ChainHead> headCache = new ConcurrentHashMap<>();
    private final Map<String, Optional<EventDescriber.Subject>> subjectCache = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Optional<EventDescriber.Subject>> eldest) {
                    return size() > 20_000;
                }
            });

    ChainHead head(String tenantId) {
        ChainHead cached = headCache.get(tenantId);
        return cached != null ? cached : readHead(tenantId);
    }

    private ChainHead readHead(String tenantId) {
        Document head = heads.find(Filters.eq("_id", tenantId)).first();
        return head == null ? new ChainHead(0, AuditChain.GENESIS)
                : new ChainHead(head.get("position", Number.class).longValue(), head.getString("hash"));
    }

    /** The head as stored (the cache may run ahead of it while a batch is being chained). */
    Optional<ChainHead> existingHead(String tenantId) {
        ChainHead head = readHead(tenantId);
        return head.position() == 0 ? Optional.empty() : Optional.of(head);
    }

    /**
     * Appends the record and moves the tenant's head to it. False when the event is already in the trail (a
     * redelivery): then the head is moved to that record if a crash left it behind, and nothing else changes.
     */
    Outcome append(AuditRecord record) {
        try {
            trail.insertOne(document(record));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            headCache.remove(record.tenantId());
            Document existing = trail.find(Filters.eq("eventId", record.eventId())).first();
            if (existing == null) {
                return Outcome.STALE_HEAD;
            }
            AuditRecord stored = record(existing);
            if (readHead(stored.tenantId()).position() < stored.position()) {
                setHead(stored);
            }
            return Outcome.ALREADY_THERE;
        }
        setHead(record);
        return Outcome.APPENDED;
    }

    /**
     * Appends a batch of chained records in one ordered insert, then moves each tenant's head to its last record.
     * Returns -1, or the index of the first record whose event (or position) the trail already holds: the records
     * before it are stored and the heads moved to them; the caller appends the rest one by one.
     */
    int appendAll(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return -1;
        }
        int stored = records.size();
        try {
            trail.insertMany(records.stream().map(TrailStore::document).toList(), new InsertManyOptions().ordered(true));
        } catch (MongoBulkWriteException e) {
            BulkWriteError first = e.getWriteErrors().get(0);
            if (ErrorCategory.fromErrorCode(first.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            stored = first.getIndex();
        }
        Map<String, AuditRecord> lastByTenant = new java.util.LinkedHashMap<>();
        records.subList(0, stored).forEach(record -> lastByTenant.put(record.tenantId(), record));
        lastByTenant.values().forEach(this::setHead);
        return stored == records.size() ? -1 : stored;
    }

    /** Moves the cached head of a record's tenant to a record that is about to be appended in the same batch. */
    void advanceCachedHead(AuditRecord record) {
        headCache.put(record.tenantId(), new ChainHead(record.position(), record.hash()));
    }

    /** Forgets the cached heads and subjects (after a batch failed: they may be ahead of what is stored). */
    void forgetCached() {
        headCache.clear();
        subjectCache.clear();
    }

    /** What an append did: appended, found the event already in the trail, or found the head stale (retry). */
    enum Outcome { APPENDED, ALREADY_THERE, STALE_HEAD }

    private void setHead(AuditRecord record) {
        heads.replaceOne(Filters.eq("_id", record.tenantId()), new Document("_id", record.tenantId())
                .append("position", record.position()).append("hash", record.hash())
                .append("eventId", record.eventId()), new ReplaceOptions().upsert(true));
        headCache.put(record.tenantId(), new ChainHead(record.position(), record.hash()));
    }

    boolean containsEvent(String eventId) {
        return trail.find(Filters.eq("eventId", eventId)).first() != null;
    }

    /** Records of a tenant in position order, read from the database in batches. */
    FindIterable<Document> records(String tenantId, AuditFilter filter, long afterPosition) {
        List<Bson> conditions = new ArrayList<>();
        conditions.add(Filters.eq("tenantId", tenantId));
        if (afterPosition > 0) {
            conditions.add(Filters.gt("position", afterPosition));
        }
        if (filter.from() != null) {
            conditions.add(Filters.gte("time", Date.from(filter.from())));
        }
        if (filter.to() != null) {
            conditions.add(Filters.lt("time", Date.from(filter.to())));
        }
        if (filter.type() != null) {
            conditions.add(Filters.eq("type", filter.type()));
        }
        if (filter.actor() != null) {
            conditions.add(Filters.eq("actor", filter.actor()));
        }
        if (filter.keyId() != null) {
            conditions.add(Filters.and(Filters.eq("subjectKind", "key"), Filters.eq("subjectId", filter.keyId())));
        }
        if (filter.endpointId() != null) {
            conditions.add(Filters.and(Filters.eq("subjectKind", "endpoint"),
                    Filters.eq("subjectId", filter.endpointId())));
        }
        return trail.find(Filters.and(conditions)).sort(Sorts.ascending("position"));
    }

    /** Subject ids of one kind that the tenant's trail has seen (e.g. every key id), in order of first sight. */
    List<String> subjectIds(String tenantId, String kind) {
        return subjects.find(Filters.and(Filters.eq("tenantId", tenantId), Filters.eq("kind", kind)))
                .sort(Sorts.ascending("firstPosition", "_id"))
                .map(d -> d.getString("_id").substring(tenantId.length() + 1)).into(new ArrayList<>());
    }

    @Override
    public Optional<EventDescriber.Subject> find(String tenantId, String id) {
        String key = tenantId + "/" + id;
        Optional<EventDescriber.Subject> cached = subjectCache.get(key);
        if (cached != null) {
            return cached;
        }
        Document d = subjects.find(Filters.eq("_id", key)).first();
        Optional<EventDescriber.Subject> found = Optional.ofNullable(d).map(s -> new EventDescriber.Subject(
                s.getString("kind"), id, s.getString("name"), s.getString("detail")));
        subjectCache.put(key, found);
        return found;
    }

    @Override
    public void remember(String tenantId, EventDescriber.Subject subject) {
        subjects.updateOne(Filters.eq("_id", tenantId + "/" + subject.id()), new Document("$set",
                        new Document("tenantId", tenantId).append("kind", subject.kind()).append("name", subject.name())
                                .append("detail", subject.detail()))
                        .append("$setOnInsert", new Document("firstPosition", head(tenantId).position() + 1)),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
        subjectCache.put(tenantId + "/" + subject.id(), Optional.of(subject));
    }

    void clear() {
        forgetCached();
        trail.deleteMany(new Document());
        heads.deleteMany(new Document());
        subjects.deleteMany(new Document());
    }

    /** Direct access for tests that play the attacker (alter, delete, swap stored records). */
    MongoCollection<Document> trailCollection() {
        return trail;
    }

    static Document document(AuditRecord r) {
        return new Document("_id", id(r.tenantId(), r.position()))
                .append("tenantId", r.tenantId())
                .append("position", r.position())
                .append("eventId", r.eventId())
                .append("type", r.type())
                .append("time", Date.from(r.time()))
                .append("timeText", r.time().toString())
                .append("actor", r.actor())
                .append("actorType", r.actorType())
                .append("ip", r.ip())
                .append("userAgent", r.userAgent())
                .append("correlationId", r.correlationId())
                .append("subjectKind", r.subjectKind())
                .append("subjectId", r.subjectId())
                .append("subject", r.subject())
                .append("description", r.description())
                .append("payload", r.payload())
                .append("prevHash", r.prevHash())
                .append("hash", r.hash());
    }

    static AuditRecord record(Document d) {
        String timeText = d.getString("timeText");
        Instant time = timeText != null ? Instant.parse(timeText)
                : d.getDate("time") == null ? null : d.getDate("time").toInstant();
        Number position = d.get("position", Number.class);
        return new AuditRecord(d.getString("tenantId"), position == null ? -1 : position.longValue(),
                d.getString("eventId"), d.getString("type"), time, d.getString("actor"), d.getString("actorType"),
                d.getString("ip"), d.getString("userAgent"), d.getString("correlationId"),
                d.getString("subjectKind"), d.getString("subjectId"), d.getString("subject"),
                d.getString("description"), d.getString("payload"), d.getString("prevHash"), d.getString("hash"));
    }
}
