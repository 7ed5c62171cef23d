package dev.keysmith.webhooks.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: the schedule's next delay (Svix's by default), jittered by ±{@code jitter};
 * at least {@code throttledMinimum} after a 429 or a timeout; a {@code Retry-After} (seconds or an HTTP date) is
 * honoured within [scheduled, 2 × scheduled]. After the schedule's last entry the delivery has failed (null).
 */
final class RetryPolicy {

    private final List<Duration> schedule;
    private final double jitter;
    private final Duration throttledMinimum;
    private final DoubleSupplier random;

    RetryPolicy(List<Duration> schedule, double jitter, Duration throttledMinimum, DoubleSupplier random) {
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.throttledMinimum = throttledMinimum;
        this.random = random;
    }

    /** The first attempt's delay after the message is queued (the schedule's first entry, normally zero). */
    Duration firstDelay() {
        return schedule.get(0);
    }

    /**
     * The delay before the next attempt after {@code attemptsInSeries} attempts failed, or null when that was the
     * last one.
     */
    Duration nextDelay(int attemptsInSeries, boolean throttledOrTimedOut, String retryAfter, Instant now) {
        if (attemptsInSeries >= schedule.size()) {
            return null;
        }
        Duration base = schedule.get(attemptsInSeries);
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        Duration scheduled = Duration.ofMillis(Math.round(base.toMillis() * factor));
        if (throttledOrTimedOut && scheduled.compareTo(throttledMinimum) < 0) {
            scheduled = throttledMinimum;
        }
        Duration asked = retryAfter(retryAfter, now);
        if (asked != null) {
            Duration upper = scheduled.multipliedBy(2);
            scheduled = asked.compareTo(scheduled) < 0 ? scheduled : asked.compareTo(upper) > 0 ? upper : asked;
        }
        return scheduled;
    }

    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, Duration.ofDays(7).toSeconds()));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
