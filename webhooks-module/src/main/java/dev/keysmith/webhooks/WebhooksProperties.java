package dev.keysmith.webhooks;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * Webhook settings ({@code keysmith.webhooks.*}); tests compress the schedule here rather than sleeping.
 *
 * @param allowInsecureTargets  allow {@code http://} and loopback targets (local development and tests only;
 *                              {@code KEYSMITH_WEBHOOKS_ALLOW_INSECURE_TARGETS})
 * @param retrySchedule         delay before each attempt: the first is the first attempt (immediately), then one
 *                              retry per further entry (Svix's: 0, 5s, 5m, 30m, 2h, 5h, 10h, 10h); then failed
 * @param jitter                ± share of each delay (0.2 = ±20 %)
 * @param throttledMinimumDelay at least this long before retrying after a 429 or a timeout
 * @param timeout               connect + response time allowed per attempt
 * @param lease                 how long a claimed delivery stays with its node (longer than the timeout)
 * @param pollInterval          how often each worker looks for due deliveries when idle
 * @param workers               sending threads per node
 * @param warnAfter             failing without a success this long shows a warning
 * @param disableAfter          failing without a success this long disables the endpoint
 * @param dispatchMaxAge        events older than this when first dispatched (a replay) create no delivery
 * @param retention             deliveries older than this are purged
 * @param defaultSecretOverlap  how long a rotated-out secret still signs by default
 */
@ConfigurationProperties("keysmith.webhooks")
public record WebhooksProperties(Boolean allowInsecureTargets, List<Duration> retrySchedule, Double jitter,
                                 Duration throttledMinimumDelay, Duration timeout, Duration lease,
                                 Duration pollInterval, Integer workers, Duration warnAfter, Duration disableAfter,
                                 Duration dispatchMaxAge, Duration retention, Duration defaultSecretOverlap) {

    public static final List<Duration> SVIX_SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(5),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
            Duration.ofHours(10), Duration.ofHours(10));

    public WebhooksProperties {
        allowInsecureTargets = allowInsecureTargets != null && allowInsecureTargets;
        retrySchedule = retrySchedule == null || retrySchedule.isEmpty() ? SVIX_SCHEDULE : List.copyOf(retrySchedule);
        jitter = jitter == null ? 0.2 : jitter;
        throttledMinimumDelay = throttledMinimumDelay == null ? Duration.ofSeconds(60) : throttledMinimumDelay;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        lease = lease == null ? timeout.plusSeconds(20) : lease;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        workers = workers == null || workers < 1 ? 4 : workers;
        warnAfter = warnAfter == null ? Duration.ofDays(3) : warnAfter;
        disableAfter = disableAfter == null ? Duration.ofDays(5) : disableAfter;
        dispatchMaxAge = dispatchMaxAge == null ? Duration.ofDays(1) : dispatchMaxAge;
        retention = retention == null ? Duration.ofDays(30) : retention;
        defaultSecretOverlap = defaultSecretOverlap == null ? Duration.ofHours(24) : defaultSecretOverlap;
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("keysmith.webhooks.jitter must be in [0, 1); it is " + jitter);
        }
        if (lease.compareTo(timeout.plusSeconds(1)) < 0) {
            throw new IllegalArgumentException("keysmith.webhooks.lease (" + lease
                    + ") must exceed keysmith.webhooks.timeout (" + timeout + ") by at least a second");
        }
        if (retention.compareTo(dispatchMaxAge) <= 0) {
            throw new IllegalArgumentException("keysmith.webhooks.retention must be longer than dispatch-max-age, "
                    + "or a replay could send purged messages again");
        }
    }

    public boolean insecureTargetsAllowed() {
        return allowInsecureTargets;
    }
}
