package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.TenantRegistered;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Heap bytes per key in the verification index: the live heap after a full GC with N keys (spread over tenants of
 * 100 keys, names like real ones, no allowlist on most), minus the live heap before, divided by N. Each event is
 * built with fresh id objects, as deserialisation makes them. Run one size per JVM:
 * {@code ./mvnw -Pbench -pl keys-module test-compile exec:exec -Dbench.main=dev.keysmith.keys.apikey.IndexFootprint -Dbench.args=1000000}.
 */
public final class IndexFootprint {

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String[] hashes = new String[keys];
        String[] names = new String[keys];
        String[] ids = new String[keys];
        for (int i = 0; i < keys; i++) {
            hashes[i] = KeySecrets.generate(Environment.PRODUCTION).hash();
            names[i] = "Integration " + i;
            ids[i] = ApiKeyId.generate().value();
        }
        long before = liveHeap();
        InMemoryKeyIndex index = new InMemoryKeyIndex();
        TenantId tenant = null;
        for (int i = 0; i < keys; i++) {
            if (i % 100 == 0) {
                tenant = TenantId.generate();
                index.on(new TenantRegistered(tenant, "Tenant " + i, RandomClientId.next(), 1000 + i, Plan.ENTERPRISE,
                        MemberId.generate(), "owner" + i + "@example.com"));
            }
            List<String> ips = i % 10 == 0 ? List.of("10.0.0.0/8") : List.of();
            index.on(new ApiKeyCreated(new ApiKeyId(new String(ids[i])), new TenantId(new String(tenant.value())),
                    new String(names[i]), Environment.PRODUCTION, null, ips, null, new String(hashes[i]),
                    "ks_live_abcd", "wxyz", false));
        }
        hashes = null;
        names = null;
        ids = null;
        long after = liveHeap();
        if (index.size() != keys) {
            throw new IllegalStateException("index holds " + index.size() + " keys, expected " + keys);
        }
        System.out.printf("keys=%d heapBytesPerKey=%.1f (live heap %d MB with the index)%n", keys,
                (after - before) / (double) keys, after >> 20);
    }

    private static long liveHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static final class RandomClientId {
        private static long counter;

        static String next() {
            return String.format("%024x", ++counter);
        }
    }
}
