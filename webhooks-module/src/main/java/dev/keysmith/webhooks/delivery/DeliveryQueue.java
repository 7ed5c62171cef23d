package dev.keysmith.webhooks.delivery;

import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.TenantId;
import dev.keysmith.webhooks.DeliveryView;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.Webhooks;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

/**
 * The delivery queue ({@code webhook_deliveries}): one document per (source event, endpoint), its {@code _id}
 * derived from both, inserted only if absent, so a replayed or redelivered event never makes a second delivery.
 * Workers claim due deliveries with a lease (owner node, token, until); only the holder of the current lease
 * token can record the attempt, and an expired lease (a node killed mid-attempt) lets another node try again
 * with the same {@code webhook-id}.
 */
@Component
public class DeliveryQueue {

    /** Attempts kept per delivery (the oldest are dropped beyond this). */
    static final int MAX_ATTEMPTS_KEPT = 50;
    static final Date FREE = new Date(0);

    /** A delivery claimed by this node: what to send, and the token that proves the lease. */
    public record Claim(String deliveryId, String messageId, TenantId tenantId, WebhookEndpointId endpointId,
                       EventType eventType, String body, int attemptCount, int totalAttempts, String leaseToken,
                       boolean manual) {
    }

    private static final int MAX_WAKEUPS = 256;
    private static final int MAX_READY = 100_000;

    private final MongoCollection<Document> deliveries;
    private final Semaphore work = new Semaphore(0);
    /** Deliveries this node enqueued, not yet claimed by id (beyond MAX_READY the queue search finds them). */
    private final Queue<String> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    /** Until when this node does not search the queue again, after a search that found nothing due. */
    private volatile Instant quietUntil = Instant.MIN;

    DeliveryQueue(MongoDatabase database) {
        this.deliveries = database.getCollection("webhook_deliveries");
        deliveries.createIndex(Indexes.ascending("status", "nextAttemptAt"));
        deliveries.createIndex(Indexes.descending("endpointId", "created"));
    }

    /** {@code msg_} and 22 URL-safe characters of the SHA-256 of the source id: stable, opaque, dot-free. */
    public static String messageId(String sourceId) {
        return "msg_" + hash(sourceId);
    }

    /** The source id of a {@code webhook.test} message: its test id (the event carries it, so the caller knows it). */
    public static String testSourceId(String testId) {
        return "test:" + testId;
    }

    public static String deliveryId(String sourceId, WebhookEndpointId endpointId) {
        return "dlv_" + hash(sourceId + "|" + endpointId.value());
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Inserts one delivery of the message per endpoint, in one bulk write, each unless it exists (a replayed or
     * redelivered event); returns how many were inserted. This node's workers are woken for them and claim them by
     * id, without searching the queue.
     */
    int enqueue(String sourceId, TenantId tenantId, List<WebhookEndpointId> endpointIds, EventType type,
                Instant created, String body, Instant due) {
        if (endpointIds.isEmpty()) {
            return 0;
        }
        List<String> ids = new ArrayList<>();
        List<UpdateOneModel<Document>> upserts = new ArrayList<>();
        for (WebhookEndpointId endpointId : endpointIds) {
            String id = deliveryId(sourceId, endpointId);
            Document delivery = new Document("messageId", messageId(sourceId))
                    .append("sourceId", sourceId)
                    .append("tenantId", tenantId.value())
                    .append("endpointId", endpointId.value())
                    .append("eventType", type.type())
                    .append("created", Date.from(created))
                    .append("body", body)
                    .append("status", "pending")
                    .append("attemptCount", 0)
                    .append("totalAttempts", 0)
                    .append("nextAttemptAt", Date.from(due))
                    .append("leaseUntil", FREE)
                    .append("manual", false)
                    .append("attempts", List.of());
            ids.add(id);
            upserts.add(new UpdateOneModel<>(Filters.eq("_id", id), Updates.setOnInsert(delivery),
                    new UpdateOptions().upsert(true)));
        }
        List<BulkWriteUpsert> inserted = deliveries.bulkWrite(upserts, new BulkWriteOptions().ordered(false)).getUpserts();
        for (BulkWriteUpsert upsert : inserted) {
            ready(ids.get(upsert.getIndex()));
        }
        return inserted.size();
    }

    /** Hands a delivery that is due now to this node's workers, to claim by id (beyond MAX_READY, by a search). */
    private void ready(String id) {
        if (readyCount.get() < MAX_READY) {
            readyCount.incrementAndGet();
            ready.add(id);
            wake();
        } else {
            searchNow();
        }
    }

    /** Many deliveries fell due at once: the next claim searches the queue, quiet time or not. */
    private void searchNow() {
        quietUntil = Instant.MIN;
        wake();
    }

    /** Wakes an idle worker of this node, which then sends at once rather than at its next poll. */
    private void wake() {
        if (work.availablePermits() < MAX_WAKEUPS) {
            work.release();
        }
    }

    /**
     * Waits until this node enqueues a delivery or {@code max} passes (other nodes' deliveries and retries that fall
     * due are found by polling). True when woken by a new delivery.
     */
    boolean awaitWork(Duration max) throws InterruptedException {
        return work.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Claims a delivery whose lease is free or expired, for {@code lease}: first those this node just enqueued, by id;
     * then the most overdue of the whole queue (other nodes' deliveries, retries falling due). Searching the queue
     * scans it on the embedded MongoDB, which has no secondary indexes, and holds the collection's lock meanwhile:
     * after a search finds nothing, this node's workers search again only once {@code quiet} has passed (new
     * deliveries of this node still go at once, by id).
     */
    Optional<Claim> claim(String node, Instant now, Duration lease, Duration quiet) {
        String token = UUID.randomUUID().toString();
        Bson take = Updates.combine(Updates.set("leaseUntil", Date.from(now.plus(lease))),
                Updates.set("leaseOwner", node), Updates.set("leaseToken", token));
        Bson claimable = Filters.and(Filters.eq("status", "pending"), Filters.lte("nextAttemptAt", Date.from(now)),
                Filters.lte("leaseUntil", Date.from(now)));
        FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
        String id;
        while ((id = ready.poll()) != null) {
            readyCount.decrementAndGet();
            Document claimed = deliveries.findOneAndUpdate(Filters.and(Filters.eq("_id", id), claimable), take, after);
            if (claimed != null) {
                return Optional.of(claim(claimed, token));
            }
        }
        if (now.isBefore(quietUntil)) {
            return Optional.empty();
        }
        Document claimed = deliveries.findOneAndUpdate(claimable, take, after.sort(Sorts.ascending("nextAttemptAt")));
        if (claimed == null) {
            quietUntil = now.plus(quiet);
            return Optional.empty();
        }
        return Optional.of(claim(claimed, token));
    }

    /** {@link #claim(String, Instant, Duration, Duration)} that searches the queue every time. */
    Optional<Claim> claim(String node, Instant now, Duration lease) {
        return claim(node, now, lease, Duration.ZERO);
    }

    private static Claim claim(Document claimed, String token) {
        return new Claim(claimed.getString("_id"), claimed.getString("messageId"),
                new TenantId(claimed.getString("tenantId")), new WebhookEndpointId(claimed.getString("endpointId")),
                EventType.of(claimed.getString("eventType")), claimed.getString("body"),
                claimed.getInteger("attemptCount", 0), claimed.getInteger("totalAttempts", 0), token,
                claimed.getBoolean("manual", false));
    }

    /**
     * Records an attempt and what comes next (pending with a due time, succeeded, failed or cancelled) and frees the
     * lease; false when the lease was lost meanwhile (then nothing is written).
     */
    boolean record(Claim claim, DeliveryView.Attempt attempt, DeliveryView.Status next, Instant nextAttemptAt,
                   boolean countsInSeries) {
        Document recorded = attemptDocument(attempt);
        List<Bson> updates = new ArrayList<>(List.of(
                Updates.pushEach("attempts", List.of(recorded), new PushOptions().slice(-MAX_ATTEMPTS_KEPT)),
                Updates.set("status", next.json()),
                Updates.set("totalAttempts", claim.totalAttempts() + 1),
                Updates.set("attemptCount", claim.attemptCount() + (countsInSeries ? 1 : 0)),
                Updates.set("nextAttemptAt", nextAttemptAt == null ? null : Date.from(nextAttemptAt)),
                Updates.set("leaseUntil", FREE),
                Updates.set("leaseToken", null),
                Updates.set("manual", false),
                Updates.set("lastStatusCode", attempt.statusCode()),
                Updates.set("lastError", attempt.error()),
                Updates.set("lastAttemptAt", Date.from(attempt.at()))));
        return deliveries.updateOne(Filters.and(Filters.eq("_id", claim.deliveryId()),
                Filters.eq("leaseToken", claim.leaseToken())), Updates.combine(updates)).getMatchedCount() == 1;
    }

    /** Ends a claimed delivery without an attempt (its endpoint is gone or disabled). */
    boolean close(Claim claim, DeliveryView.Status status, String error) {
        return deliveries.updateOne(Filters.and(Filters.eq("_id", claim.deliveryId()),
                        Filters.eq("leaseToken", claim.leaseToken())),
                Updates.combine(Updates.set("status", status.json()), Updates.set("lastError", error),
                        Updates.set("nextAttemptAt", null), Updates.set("leaseUntil", FREE),
                        Updates.set("leaseToken", null))).getMatchedCount() == 1;
    }

    /** Queues the same message again, now: same webhook-id and body, a new series of attempts. */
    public boolean resend(TenantId tenantId, WebhookEndpointId endpointId, String deliveryId, Instant now) {
        boolean queued = deliveries.updateOne(Filters.and(Filters.eq("_id", deliveryId),
                        Filters.eq("tenantId", tenantId.value()), Filters.eq("endpointId", endpointId.value())),
                Updates.combine(Updates.set("status", "pending"), Updates.set("attemptCount", 0),
                        Updates.set("nextAttemptAt", Date.from(now)), Updates.set("manual", true)))
                .getMatchedCount() == 1;
        if (queued) {
            ready(deliveryId);
        }
        return queued;
    }

    public int redeliverFailed(TenantId tenantId, WebhookEndpointId endpointId, Instant from, Instant to, Instant now) {
        int queued = (int) deliveries.updateMany(Filters.and(Filters.eq("tenantId", tenantId.value()),
                        Filters.eq("endpointId", endpointId.value()), Filters.eq("status", "failed"),
                        Filters.gte("created", Date.from(from)), Filters.lt("created", Date.from(to))),
                Updates.combine(Updates.set("status", "pending"), Updates.set("attemptCount", 0),
                        Updates.set("nextAttemptAt", Date.from(now)), Updates.set("manual", true)))
                .getModifiedCount();
        if (queued > 0) {
            searchNow();
        }
        return queued;
    }

    public void cancelPending(WebhookEndpointId endpointId, String why) {
        deliveries.updateMany(Filters.and(Filters.eq("endpointId", endpointId.value()), Filters.eq("status", "pending")),
                Updates.combine(Updates.set("status", "cancelled"), Updates.set("lastError", why),
                        Updates.set("nextAttemptAt", null)));
    }

    long purgeOlderThan(Instant cutoff) {
        return deliveries.deleteMany(Filters.and(Filters.lt("created", Date.from(cutoff)),
                Filters.ne("status", "pending"))).getDeletedCount();
    }

    public Optional<DeliveryView> find(TenantId tenantId, WebhookEndpointId endpointId, String deliveryId) {
        return Optional.ofNullable(deliveries.find(Filters.and(Filters.eq("_id", deliveryId),
                        Filters.eq("tenantId", tenantId.value()), Filters.eq("endpointId", endpointId.value()))).first())
                .map(DeliveryQueue::view);
    }

    public Webhooks.DeliveryPage page(TenantId tenantId, WebhookEndpointId endpointId, Webhooks.DeliveryFilter filter,
                                      String cursor, int limit) {
        List<Bson> conditions = new ArrayList<>(List.of(Filters.eq("tenantId", tenantId.value()),
                Filters.eq("endpointId", endpointId.value())));
        if (filter.status() != null) {
            conditions.add(Filters.eq("status", filter.status().json()));
        }
        if (filter.eventType() != null) {
            conditions.add(Filters.eq("eventType", filter.eventType().type()));
        }
        if (filter.from() != null) {
            conditions.add(Filters.gte("created", Date.from(filter.from())));
        }
        if (filter.to() != null) {
            conditions.add(Filters.lt("created", Date.from(filter.to())));
        }
        if (cursor != null && !cursor.isBlank()) {
            int dot = cursor.indexOf('.');
            long millis;
            try {
                millis = Long.parseLong(cursor.substring(0, Math.max(dot, 0)));
            } catch (NumberFormatException e) {
                throw new KeysmithException.InvalidInput("next", "next must be a cursor from a previous page.");
            }
            String id = cursor.substring(dot + 1);
            Date at = new Date(millis);
            conditions.add(Filters.or(Filters.lt("created", at),
                    Filters.and(Filters.eq("created", at), Filters.lt("_id", id))));
        }
        List<Document> found = deliveries.find(Filters.and(conditions)).sort(Sorts.descending("created", "_id"))
                .limit(limit + 1).into(new ArrayList<>());
        String next = null;
        if (found.size() > limit) {
            found = found.subList(0, limit);
            Document last = found.get(limit - 1);
            next = last.getDate("created").getTime() + "." + last.getString("_id");
        }
        return new Webhooks.DeliveryPage(found.stream().map(DeliveryQueue::view).toList(), next);
    }

    private static Document attemptDocument(DeliveryView.Attempt attempt) {
        return new Document("number", attempt.number()).append("at", Date.from(attempt.at()))
                .append("statusCode", attempt.statusCode()).append("latencyMillis", attempt.latencyMillis())
                .append("responseExcerpt", attempt.responseExcerpt()).append("error", attempt.error())
                .append("headers", new Document(new LinkedHashMap<>(attempt.headers())))
                .append("manual", attempt.manual());
    }

    static DeliveryView view(Document d) {
        List<DeliveryView.Attempt> attempts = new ArrayList<>();
        for (Document a : d.getList("attempts", Document.class, List.of())) {
            Map<String, String> headers = new LinkedHashMap<>();
            Document h = a.get("headers", Document.class);
            if (h != null) {
                h.forEach((name, value) -> headers.put(name, String.valueOf(value)));
            }
            Number latency = a.get("latencyMillis", Number.class);
            attempts.add(new DeliveryView.Attempt(a.getInteger("number", attempts.size() + 1),
                    a.getDate("at").toInstant(), a.getInteger("statusCode"), latency == null ? 0 : latency.longValue(),
                    a.getString("responseExcerpt"), a.getString("error"), headers, a.getBoolean("manual", false)));
        }
        Date next = d.getDate("nextAttemptAt");
        return new DeliveryView(d.getString("_id"), d.getString("messageId"),
                new WebhookEndpointId(d.getString("endpointId")), EventType.of(d.getString("eventType")),
                d.getDate("created").toInstant(), DeliveryView.Status.parse(d.getString("status")),
                d.getInteger("totalAttempts", 0), next == null ? null : next.toInstant(),
                d.getInteger("lastStatusCode"), d.getString("lastError"), d.getString("body"), List.copyOf(attempts));
    }
}
