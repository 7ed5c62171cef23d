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
import java.util.Iterator;
import java.util.List;
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

    MongoAuditTrail(TrailStore store, EventStorageEngine events, Projections projections, ObjectMapper json,
                    AuditProperties properties) {
        this.store = store;
        this.events = events;
        this.projections = projections;
        this.json = json;
        this.properties = properties;
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

    @Override
    public ChainCheck verify(TenantId tenantId) {
        String tenant = tenantId.value();
        TrackingToken headToken = events.createHeadToken();
        long storeHead = headToken == null ? -1 : headToken.position().orElse(-1);
        projections.awaitCurrent(properties.verifyTimeout());
        long expected = 1;
        long storeEvents = 0;
        String prevHash = AuditChain.GENESIS;
        try (MongoCursor<Document> trail = store.records(tenant, AuditFilter.ALL, 0)
                .batchSize(properties.exportBatch()).iterator();
             Stream<? extends TrackedEventMessage<?>> stored = events.readEvents(null, false)) {
            Iterator<? extends TrackedEventMessage<?>> storeEventsOfTenant = stored
                    .takeWhile(event -> event.trackingToken().position().orElse(Long.MAX_VALUE) <= storeHead)
                    .filter(event -> tenant.equals(AuditTrailProjection.tenantOf(event.getPayload(),
                            event.getMetaData())))
                    .iterator();
            while (true) {
                AuditRecord record = trail.hasNext() ? TrailStore.record(trail.next()) : null;
                TrackedEventMessage<?> event = storeEventsOfTenant.hasNext() ? storeEventsOfTenant.next() : null;
                if (event != null) {
                    storeEvents++;
                }
                if (record == null && event == null) {
                    ChainHead head = expected == 1 ? null : new ChainHead(expected - 1, prevHash);
                    return new ChainCheck(true, expected - 1, storeEvents, head, null, null,
                            "The chain of " + (expected - 1) + " records is intact and matches the event store.");
                }
                ChainHead sofar = expected == 1 ? null : new ChainHead(expected - 1, prevHash);
                if (record == null) {
                    return broken(expected - 1, storeEvents, sofar, expected, Break.MISSING, "The event store holds "
                            + event.getPayloadType().getSimpleName() + " " + event.getIdentifier() + " of "
                            + event.getTimestamp() + ", which the trail lacks (it should be position " + expected
                            + ").");
                }
                if (record.position() != expected) {
                    return broken(expected - 1, storeEvents, sofar, expected,
                            record.position() > expected ? Break.REMOVED : Break.ALTERED,
                            record.position() > expected ? "Position " + expected + " is missing from the trail "
                                    + "(the next record is position " + record.position() + ")."
                                    : "Position " + record.position() + " appears twice.");
                }
                if (event == null) {
                    return broken(expected, storeEvents, sofar, expected, Break.ALTERED, "Record " + expected
                            + " (" + record.type() + ", event " + record.eventId()
                            + ") has no event in the event store.");
                }
                if (!event.getIdentifier().equals(record.eventId())) {
                    boolean elsewhere = store.containsEvent(event.getIdentifier());
                    return broken(expected, storeEvents, sofar, expected, elsewhere ? Break.REORDERED : Break.MISSING,
                            elsewhere ? "Record " + expected + " holds event " + record.eventId() + " (" + record.type()
                                    + "), but the store's event at this position is " + event.getIdentifier()
                                    + ", which the trail keeps at another position."
                                    : "The store's event " + event.getIdentifier() + " ("
                                    + event.getPayloadType().getSimpleName() + ") should be position " + expected
                                    + " but is not in the trail.");
                }
                if (record.hash() == null || !record.hash().equals(AuditChain.hash(record))) {
                    return broken(expected, storeEvents, sofar, expected, Break.ALTERED, "Record " + expected
                            + " (" + record.type() + ") was altered: its content does not match its hash.");
                }
                if (!prevHash.equals(record.prevHash())) {
                    return broken(expected, storeEvents, sofar, expected, Break.ALTERED, "Record " + expected
                            + " does not link to record " + (expected - 1) + ": its prevHash differs.");
                }
                String mismatch = differences(record, event);
                if (mismatch != null) {
                    return broken(expected, storeEvents, sofar, expected, Break.ALTERED, "Record " + expected
                            + " (" + record.type() + ") differs from its event in the store: " + mismatch + ".");
                }
                prevHash = record.hash();
                expected++;
            }
        }
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
