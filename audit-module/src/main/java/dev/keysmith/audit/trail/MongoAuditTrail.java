package dev.keysmith.audit.trail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCursor;
import dev.keysmith.audit.AuditChain;
import dev.keysmith.audit.AuditExports;
import dev.keysmith.audit.AuditFilter;
import dev.keysmith.audit.AuditPage;
import dev.keysmith.audit.AuditProperties;
import dev.keysmith.audit.AuditRecord;
import dev.keysmith.audit.AuditTrail;
import dev.keysmith.audit.ChainCheck;
import dev.keysmith.audit.ChainCheck.Break;
import dev.keysmith.audit.ChainHead;
import dev.keysmith.audit.ExportFormat;
import dev.keysmith.keys.Actor;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Projections;
import dev.keysmith.keys.TenantId;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** The trail read from MongoDB, verified against the event store, exported in batches. */
@Component
class MongoAuditTrail implements AuditTrail {

    private final TrailStore store;
    private final EventStorageEngine events;
    private final Projections projections;
    private final ObjectMapper json;
    private final AuditProperties properties;
    private final Describers describers;

    MongoAuditTrail(TrailStore store, EventStorageEngine events, Projections projections, ObjectMapper json,
                    AuditProperties properties, Describers describers) {
        this.describers = describers;
        this.store = store;
        this.events = events;
        this.projections = projections;
        this.json = json;
        this.properties = properties;
    }

    @Override
    public List<String> eventTypes() {
        return describers.typeNames();
    }

    @Override
    public AuditPage events(TenantId tenantId, AuditFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new KeysmithException.InvalidInput("limit", "limit must be between 1 and " + MAX_PAGE + ".");
        }
        long after = parseCursor(cursor);
        List<AuditRecord> items = new ArrayList<>();
        try (MongoCursor<Document> found = store.records(tenantId.value(), filter, after).limit(limit + 1)
                .iterator()) {
            while (found.hasNext()) {
                items.add(TrailStore.record(found.next()));
            }
        }
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = Long.toString(items.get(limit - 1).position());
        }
        return new AuditPage(List.copyOf(items), next);
    }

    private static long parseCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            long position = Long.parseLong(cursor.strip());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new KeysmithException.InvalidInput("cursor", "cursor must be the next value of a previous page.");
    }

    @Override
    public Optional<ChainHead> head(TenantId tenantId) {
        return store.existingHead(tenantId.value());
    }

    /** Store events read ahead of the trail while matching, before the trail is judged to lack the oldest. */
    static final int MAX_AHEAD = 10_000;
    /** How far from its place a record's hash is tried, to tell a moved record from an altered one. */
    static final int MOVE_WINDOW = 100;

    /**
     * Walks the trail in chain order (positions, hashes, links: the tamper evidence) and matches each record with its
     * event in the store by event id. The trail is in the order the projection processed the events, which may differ
     * from the store's index order by a few places where two transactions committed out of index order (concurrent
     * writers: two nodes, or a usage flush beside a request); such events are held aside until their record comes.
     * Every store event must have exactly one record, and every record its event, with the same facts.
     */
    @Override
    public ChainCheck verify(TenantId tenantId) {
        TrackingToken headToken = events.createHeadToken();
        projections.awaitCurrent(properties.verifyTimeout());
        return verify(tenantId, headToken);
    }

    /**
     * The check against the store as it was at {@code headToken}, when the check began. A record whose event was
     * stored after that (traffic goes on during a check) is chained like the others, and its facts are left to the
     * next check; a record whose event is nowhere in the store is reported.
     */
    ChainCheck verify(TenantId tenantId, TrackingToken headToken) {
        String tenant = tenantId.value();
        long storeHead = headToken == null ? -1 : headToken.position().orElse(-1);
        long expected = 1;
        long[] storeEvents = {0};
        String prevHash = AuditChain.GENESIS;
        Map<String, TrackedEventMessage<?>> ahead = new LinkedHashMap<>();
        Map<String, Long> aheadSince = new HashMap<>();
        try (MongoCursor<Document> trail = store.records(tenant, AuditFilter.ALL, 0)
                .batchSize(properties.exportBatch()).iterator();
             Stream<? extends TrackedEventMessage<?>> stored = events.readEvents(null, false)) {
            Iterator<? extends TrackedEventMessage<?>> storeEventsOfTenant = stored
                    .takeWhile(event -> event.trackingToken().position().orElse(Long.MAX_VALUE) <= storeHead)
                    .filter(event -> tenant.equals(AuditTrailProjection.tenantOf(event.getPayload(),
                            event.getMetaData())))
                    .peek(event -> storeEvents[0]++)
                    .iterator();
            while (true) {
                AuditRecord record = trail.hasNext() ? TrailStore.record(trail.next()) : null;
                ChainHead sofar = expected == 1 ? null : new ChainHead(expected - 1, prevHash);
                if (record == null) {
                    TrackedEventMessage<?> lacking = !ahead.isEmpty() ? ahead.values().iterator().next()
                            : storeEventsOfTenant.hasNext() ? storeEventsOfTenant.next() : null;
                    if (lacking == null) {
                        return new ChainCheck(true, expected - 1, storeEvents[0], sofar, null, null,
                                "The chain of " + (expected - 1) + " records is intact and matches the event store.");
                    }
                    return lacks(expected - 1, storeEvents[0], sofar,
                            aheadSince.getOrDefault(lacking.getIdentifier(), expected), lacking);
                }
                if (record.position() != expected) {
                    return broken(expected - 1, storeEvents[0], sofar, expected,
                            record.position() > expected ? Break.REMOVED : Break.ALTERED,
                            record.position() > expected ? "Position " + expected + " is missing from the trail "
                                    + "(the next record is position " + record.position() + ")."
                                    : "Position " + record.position() + " appears twice.");
                }
                if (record.hash() == null || !record.hash().equals(AuditChain.hash(record))) {
                    long movedFrom = writtenAt(record);
                    return movedFrom > 0
                            ? broken(expected, storeEvents[0], sofar, expected, Break.REORDERED, "Record " + expected
                                    + " (" + record.type() + ", event " + record.eventId() + ") was written at position "
                                    + movedFrom + ": records were moved.")
                            : broken(expected, storeEvents[0], sofar, expected, Break.ALTERED, "Record " + expected
                                    + " (" + record.type() + ") was altered: its content does not match its hash.");
                }
                if (!prevHash.equals(record.prevHash())) {
                    return broken(expected, storeEvents[0], sofar, expected, Break.ALTERED, "Record " + expected
                            + " does not link to record " + (expected - 1) + ": its prevHash differs.");
                }
                TrackedEventMessage<?> event = ahead.remove(record.eventId());
                while (event == null && storeEventsOfTenant.hasNext()) {
                    TrackedEventMessage<?> next = storeEventsOfTenant.next();
                    if (next.getIdentifier().equals(record.eventId())) {
                        event = next;
                    } else {
                        ahead.put(next.getIdentifier(), next);
                        aheadSince.put(next.getIdentifier(), expected);
                        if (ahead.size() > MAX_AHEAD) {
                            TrackedEventMessage<?> oldest = ahead.values().iterator().next();
                            return lacks(expected - 1, storeEvents[0], sofar, aheadSince.get(oldest.getIdentifier()),
                                    oldest);
                        }
                    }
                }
                if (event == null && storedAfter(headToken, record.eventId())) {
                    prevHash = record.hash();
                    expected++;
                    continue;
                }
                if (event == null) {
                    return broken(expected, storeEvents[0], sofar, expected, Break.ALTERED, "Record " + expected
                            + " (" + record.type() + ", event " + record.eventId()
                            + ") has no event in the event store.");
                }
                String mismatch = differences(record, event);
                if (mismatch != null) {
                    return broken(expected, storeEvents[0], sofar, expected, Break.ALTERED, "Record " + expected
                            + " (" + record.type() + ") differs from its event in the store: " + mismatch + ".");
                }
                prevHash = record.hash();
                expected++;
            }
        }
    }

    /** Whether the event was stored after the check began. */
    private boolean storedAfter(TrackingToken headToken, String eventId) {
        try (Stream<? extends TrackedEventMessage<?>> later = events.readEvents(headToken, false)) {
            return later.anyMatch(event -> event.getIdentifier().equals(eventId));
        }
    }

    private static ChainCheck lacks(long records, long storeEvents, ChainHead head, long position,
                                    TrackedEventMessage<?> event) {
        return broken(records, storeEvents, head, position, Break.MISSING, "The event store holds "
                + event.getPayloadType().getSimpleName() + " " + event.getIdentifier() + " of " + event.getTimestamp()
                + ", which the trail lacks (it should be near position " + position + ").");
    }

    /** The position a record's hash was computed for, when it is not its own and lies near it; 0 when none does. */
    private static long writtenAt(AuditRecord record) {
        for (long p = Math.max(1, record.position() - MOVE_WINDOW); p <= record.position() + MOVE_WINDOW; p++) {
            if (p != record.position() && record.hash() != null
                    && record.hash().equals(AuditChain.hash(record.withPosition(p)))) {
                return p;
            }
        }
        return 0;
    }

    private static ChainCheck broken(long records, long storeEvents, ChainHead head, long position, Break kind,
                                     String detail) {
        return new ChainCheck(false, records, storeEvents, head, position, kind, detail);
    }

    /** What differs between a record's facts and its event in the store (null: nothing). */
    private String differences(AuditRecord record, TrackedEventMessage<?> event) {
        List<String> differ = new ArrayList<>();
        if (!event.getPayloadType().getSimpleName().equals(record.type())) {
            differ.add("type");
        }
        if (!event.getTimestamp().equals(record.time())) {
            differ.add("time");
        }
        var metaData = event.getMetaData();
        if (!Objects.equals(text(metaData.get(Actor.ACTOR)), record.actor())
                || !Objects.equals(text(metaData.get(Actor.ACTOR_TYPE)), record.actorType())) {
            differ.add("actor");
        }
        if (!Objects.equals(text(metaData.get(Actor.IP)), record.ip())
                || !Objects.equals(text(metaData.get(Actor.USER_AGENT)), record.userAgent())
                || !Objects.equals(text(metaData.get(Actor.CORRELATION_ID)), record.correlationId())) {
            differ.add("request metadata");
        }
        if (!AuditTrailProjection.payloadJson(event.getPayload(), json).equals(record.payload())) {
            differ.add("payload");
        }
        return differ.isEmpty() ? null : String.join(", ", differ);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public void export(TenantId tenantId, AuditFilter filter, ExportFormat format, OutputStream out) {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        try (MongoCursor<Document> records = store.records(tenantId.value(), filter, 0)
                .batchSize(properties.exportBatch()).iterator()) {
            AuditExports.writeHeader(format, writer);
            while (records.hasNext()) {
                AuditExports.write(TrailStore.record(records.next()), format, writer);
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
