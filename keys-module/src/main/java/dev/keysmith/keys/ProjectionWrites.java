package dev.keysmith.keys;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MongoDB writes of a projection, gathered over the current unit of work (a tracking processor's batch of
 * events) and sent as one ordered bulk write per collection when the batch prepares to commit, before the
 * processor's token is committed. A batch then costs one round trip per collection rather than one per event, and
 * a failed write fails the whole batch, which the processor retries (the projections' handlers are idempotent).
 * Handlers that write this way must not read back what they wrote in the same batch. Outside a unit of work each
 * write goes at once.
 * <p>
 * At prepare-commit, in this order: the bulk writes, the projections' own batch flushes ({@link #onFlush}), then
 * the stores' commits ({@link #thenCommit}, e.g. the embedded MongoDB's file), so the commit covers every write.
 */
public final class ProjectionWrites {

    private static final String RESOURCE = ProjectionWrites.class.getName();

    private ProjectionWrites() {
    }

    public static void add(MongoCollection<Document> collection, WriteModel<Document> write) {
        add(collection, new Object(), write);
    }

    /**
     * Like {@link #add}, but a later write with the same {@code key} in the same batch replaces the earlier one where
     * it stood: for updates whose latest value supersedes the earlier ones, such as a key's running usage total.
     */
    public static void add(MongoCollection<Document> collection, Object key, WriteModel<Document> write) {
        Batch batch = batch();
        if (batch == null) {
            collection.bulkWrite(List.of(write));
        } else {
            batch.writes.computeIfAbsent(collection, c -> new LinkedHashMap<>()).put(key, write);
        }
    }

    /** Runs {@code flush} when the batch prepares to commit, after the bulk writes (at once outside a batch). */
    public static void onFlush(Runnable flush) {
        Batch batch = batch();
        if (batch == null) {
            flush.run();
        } else {
            batch.flushes.add(flush);
        }
    }

    /** Runs {@code commit} once per batch (per {@code key}), after every write and flush of the batch. */
    public static void thenCommit(Object key, Runnable commit) {
        Batch batch = batch();
        if (batch == null) {
            commit.run();
        } else {
            batch.commits.putIfAbsent(key, commit);
        }
    }

    private static Batch batch() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(RESOURCE, resource -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(committing -> batch.run());
            return batch;
        });
    }

    private static final class Batch {
        final Map<MongoCollection<Document>, Map<Object, WriteModel<Document>>> writes = new LinkedHashMap<>();
        final List<Runnable> flushes = new ArrayList<>();
        final Map<Object, Runnable> commits = new LinkedHashMap<>();

        void run() {
            BulkWriteOptions ordered = new BulkWriteOptions().ordered(true);
            writes.forEach((collection, models) -> {
                if (!models.isEmpty()) {
                    collection.bulkWrite(new ArrayList<>(models.values()), ordered);
                }
            });
            flushes.forEach(Runnable::run);
            commits.values().forEach(Runnable::run);
            writes.clear();
            flushes.clear();
            commits.clear();
        }
    }
}
