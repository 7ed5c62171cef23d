package dev.keysmith.keys.tenant;

import com.mongodb.client.MongoDatabase;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.events.PlanChanged;
import dev.keysmith.keys.events.TenantRegistered;

import java.time.Instant;

/**
 * Test access to the real {@link TenantDirectoryProjection} (package-private) from other packages: builds it on a
 * database and feeds it tenant events by calling its own handlers, as its processor would.
 */
public final class TenantDirectories {

    private TenantDirectories() {
    }

    public static TenantDirectory onMongo(MongoDatabase database) {
        return new TenantDirectoryProjection(database);
    }

    public static void handle(TenantDirectory directory, TenantRegistered event, Instant at) {
        ((TenantDirectoryProjection) directory).on(event, at);
    }

    public static void handle(TenantDirectory directory, PlanChanged event) {
        ((TenantDirectoryProjection) directory).on(event);
    }
}
