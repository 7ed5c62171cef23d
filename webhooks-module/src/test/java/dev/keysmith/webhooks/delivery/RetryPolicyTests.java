package dev.keysmith.webhooks.delivery;

import dev.keysmith.webhooks.WebhooksProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void svixScheduleWithoutJitterThenFailed() {
        RetryPolicy policy = new RetryPolicy(WebhooksProperties.SVIX_SCHEDULE, 0.2, Duration.ofSeconds(60), () -> 0.5);
        assertThat(policy.firstDelay()).isZero();
        assertThat(policy.nextDelay(1, false, null, NOW)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.nextDelay(2, false, null, NOW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.nextDelay(3, false, null, NOW)).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.nextDelay(4, false, null, NOW)).isEqualTo(Duration.ofHours(2));
        assertThat(policy.nextDelay(5, false, null, NOW)).isEqualTo(Duration.ofHours(5));
        assertThat(policy.nextDelay(6, false, null, NOW)).isEqualTo(Duration.ofHours(10));
        assertThat(policy.nextDelay(7, false, null, NOW)).isEqualTo(Duration.ofHours(10));
        assertThat(policy.nextDelay(8, false, null, NOW)).isNull();
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        RetryPolicy low = new RetryPolicy(WebhooksProperties.SVIX_SCHEDULE, 0.2, Duration.ofSeconds(60), () -> 0.0);
        RetryPolicy high = new RetryPolicy(WebhooksProperties.SVIX_SCHEDULE, 0.2, Duration.ofSeconds(60), () -> 0.999999);
        assertThat(low.nextDelay(2, false, null, NOW)).isEqualTo(Duration.ofMinutes(4));
        assertThat(high.nextDelay(2, false, null, NOW)).isBetween(Duration.ofSeconds(359), Duration.ofMinutes(6));
    }

    @Test
    void throttledOrTimedOutWaitsAtLeastTheMinimumAndRetryAfterIsClamped() {
        RetryPolicy policy = new RetryPolicy(WebhooksProperties.SVIX_SCHEDULE, 0.2, Duration.ofSeconds(60), () -> 0.5);
        assertThat(policy.nextDelay(1, true, null, NOW)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.nextDelay(1, true, "90", NOW)).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy.nextDelay(1, true, "1000", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(policy.nextDelay(1, true, "1", NOW)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.nextDelay(2, true, "Mon, 23 Nov 2026 12:07:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(7));
        assertThat(policy.nextDelay(2, true, "soon", NOW)).isEqualTo(Duration.ofMinutes(5));
    }
}
