package dev.keysmith.keys.usage;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the request log ({@code keysmith.request-log.*}).
 *
 * @param bufferSize    records that may wait for the writer (default 10,000); beyond it records are dropped and counted
 * @param batchSize     records per insert (default 500)
 * @param maxRecords    records kept in all (default 100,000): the oldest beyond it are purged, so the embedded
 *                      store (which scans) stays fast; 0 = no cap
 * @param purgeInterval how often retention and the cap are applied (default 1 minute)
 * @param maxBackoff    the longest pause between retries while MongoDB does not answer (default 5 s)
 */
@ConfigurationProperties("keysmith.request-log")
public record RequestLogProperties(Integer bufferSize, Integer batchSize, Long maxRecords, Duration purgeInterval,
                                   Duration maxBackoff) {

    public RequestLogProperties {
        bufferSize = bufferSize != null && bufferSize > 0 ? bufferSize : 10_000;
        batchSize = batchSize != null && batchSize > 0 ? batchSize : 500;
        maxRecords = maxRecords != null && maxRecords >= 0 ? maxRecords : 100_000L;
        purgeInterval = purgeInterval != null ? purgeInterval : Duration.ofMinutes(1);
        maxBackoff = maxBackoff != null ? maxBackoff : Duration.ofSeconds(5);
    }

    public static RequestLogProperties defaults() {
        return new RequestLogProperties(null, null, null, null, null);
    }
}
