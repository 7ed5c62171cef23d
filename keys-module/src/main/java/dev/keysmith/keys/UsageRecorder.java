package dev.keysmith.keys;

import java.time.Instant;

/**
 * Counts the requests made with each key, on the verification path: in memory, no lock, no I/O. The counts are
 * flushed as one {@code ApiKeyUsed} event per key per flush interval ({@code keysmith.keys.usage-flush}); a crash
 * loses at most the counts of the interval that was not flushed yet.
 */
public interface UsageRecorder {

    void record(VerifiedKey key, int status, String clientIp, Instant at);
}
