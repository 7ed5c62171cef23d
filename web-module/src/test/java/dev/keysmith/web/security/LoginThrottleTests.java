package dev.keysmith.web.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password guessing is throttled, and the throttle lifts when the window has passed, on a clock the test moves
 * (no waiting, no timed assertion). The sign-in path over HTTP (wrong passwords, then the right one refused while
 * throttled) is {@code AccountsWebIntegrationTests.wrongPasswordsAreThrottledAfterFiveFailures}.
 */
class LoginThrottleTests {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    final MovableClock clock = new MovableClock();
    final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void fiveFailuresForOneAccountThrottleItUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT - 1; i++) {
            throttle.failed("Victim@Example.test", "198.51.100." + i);
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(throttle.retryAfter("victim@example.test", "203.0.113.1")).isEmpty();
        throttle.failed(" victim@example.test ", "198.51.100.99");

        // throttled for every address (also the owner's, with the right password: the provider asks first)
        assertThat(throttle.retryAfter("victim@example.test", "203.0.113.1")).hasValueSatisfying(wait ->
                assertThat(wait).isEqualTo(LoginThrottle.WINDOW.minusSeconds(40)));
        assertThat(throttle.retryAfter("someone-else@example.test", "203.0.113.1")).isEmpty();

        clock.advance(LoginThrottle.WINDOW.minusSeconds(41));
        assertThat(throttle.retryAfter("victim@example.test", "203.0.113.1")).as("one second before").isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.retryAfter("victim@example.test", "203.0.113.1")).as("after the window").isEmpty();
    }

    @Test
    void oneAddressGuessingManyAccountsIsThrottledToo() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_IP; i++) {
            throttle.failed("user" + i + "@example.test", "192.0.2.7");
        }
        assertThat(throttle.retryAfter("fresh@example.test", "192.0.2.7")).isPresent();
        assertThat(throttle.retryAfter("fresh@example.test", "192.0.2.8")).isEmpty();
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        assertThat(throttle.retryAfter("fresh@example.test", "192.0.2.7")).isEmpty();
    }

    @Test
    void aSuccessfulSignInClearsTheAccountsFailures() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT - 1; i++) {
            throttle.failed("owner@example.test", "192.0.2.1");
        }
        throttle.succeeded("owner@example.test");
        throttle.failed("owner@example.test", "192.0.2.1");
        assertThat(throttle.retryAfter("owner@example.test", "192.0.2.2")).isEmpty();
    }
}
