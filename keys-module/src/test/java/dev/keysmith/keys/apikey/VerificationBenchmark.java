package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeySecrets;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.Verification;
import dev.keysmith.keys.events.ApiKeyCreated;
import dev.keysmith.keys.events.TenantRegistered;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The verification call on the hot path, header included: a valid key (SHA-256 + lookup + checks), an unknown
 * well-formed key, and a malformed key (refused by the checksum, no hashing, no lookup), with {@code keys} keys
 * in the index. Run: {@code ./mvnw -Pbench -pl keys-module test-compile exec:exec} (see docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VerificationBenchmark {

    @Param({"10000"})
    int keys;

    Verification verification;
    InetAddress caller;
    Instant now;
    String validHeader;
    String unknownHeader;
    String malformedHeader;

    @Setup
    public void setUp() throws Exception {
        InMemoryKeyIndex index = new InMemoryKeyIndex();
        TenantId tenant = TenantId.generate();
        index.on(new TenantRegistered(tenant, "Bench", "0123456789abcdef01234567", 1001, Plan.ENTERPRISE,
                MemberId.generate(), "owner@example.com"));
        String valid = null;
        for (int i = 0; i < keys; i++) {
            KeySecrets.NewSecret secret = KeySecrets.generate(Environment.PRODUCTION);
            index.on(new ApiKeyCreated(ApiKeyId.generate(), tenant, "Key " + i, Environment.PRODUCTION, null,
                    List.of("10.0.0.0/8", "127.0.0.0/8"), null, secret.hash(), secret.prefix(), secret.last4(), false));
            valid = secret.plaintext();
        }
        verification = new Verification(index);
        caller = InetAddress.getByName("127.0.0.1");
        now = Instant.now();
        validHeader = "Bearer " + valid;
        unknownHeader = "Bearer " + KeySecrets.generate(Environment.PRODUCTION).plaintext();
        malformedHeader = "Bearer " + valid.substring(0, valid.length() - 1) + (valid.endsWith("A") ? "B" : "A");
        if (!verification.verifyHeader(validHeader, null, caller, now).ok()
                || verification.verifyHeader(malformedHeader, null, caller, now).code() != Verification.Code.MALFORMED_KEY
                || verification.verifyHeader(unknownHeader, null, caller, now).code() != Verification.Code.UNKNOWN_KEY) {
            throw new IllegalStateException("benchmark inputs do not verify as intended");
        }
    }

    @Benchmark
    public Verification.Result validKey() {
        return verification.verifyHeader(validHeader, null, caller, now);
    }

    @Benchmark
    public Verification.Result unknownKey() {
        return verification.verifyHeader(unknownHeader, null, caller, now);
    }

    @Benchmark
    public Verification.Result malformedKey() {
        return verification.verifyHeader(malformedHeader, null, caller, now);
    }
}
