package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.TenantId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate-versus-baseline rule: a minimum rate, a multiple of the EWMA baseline, one transition per episode. */
class SpikeDetectorTests {

    final TenantId tenant = TenantId.generate();
    final ApiKeyId key = ApiKeyId.generate();
    final Duration interval = Duration.ofSeconds(10);
    final SpikeDetector detector = new SpikeDetector(10, 60, Duration.ofHours(1));
    Instant now = Instant.parse("2026-11-23T10:00:00Z");

    /** One interval in which the key made {@code count} requests (0 = not used). */
    List<SpikeDetector.Transition> interval(long count) {
        now = now.plus(interval);
        return detector.observe(count == 0 ? Map.of() : Map.of(key, new SpikeDetector.Observation(tenant, count)),
                interval, now);
    }

    @Test
    void aQuietKeyGoingFromNothingToAFewRequestsIsNoSpike() {
        assertThat(interval(0)).isEmpty();
        // 3 requests in 10 s = 18 a minute, under the 60-a-minute floor
        assertThat(interval(3)).isEmpty();
        assertThat(interval(9)).isEmpty();
        assertThat(detector.spiking(key)).isFalse();
    }

    /** A steady 120 a minute for an hour: against a zero baseline its start is one short episode, then normal. */
    void steadyHour() {
        List<Boolean> transitions = new java.util.ArrayList<>();
        for (int i = 0; i < 360; i++) {
            interval(20).forEach(transition -> transitions.add(transition.spiking()));
        }
        assertThat(transitions).containsExactly(true, false);
    }

    @Test
    void aBurstOverTenTimesTheBaselineStartsOneEpisodeAndItSettlesWhenTheRateFalls() {
        steadyHour();
        assertThat(detector.baseline(key)).isBetween(70.0, 80.0);
        List<SpikeDetector.Transition> burst = interval(500); // 3,000 a minute
        assertThat(burst).singleElement().satisfies(transition -> {
            assertThat(transition.spiking()).isTrue();
            assertThat(transition.keyId()).isEqualTo(key);
            assertThat(transition.tenantId()).isEqualTo(tenant);
            assertThat(transition.ratePerMinute()).isEqualTo(3000.0);
            assertThat(transition.baselinePerMinute()).isBetween(70.0, 80.0);
            assertThat(transition.multiple()).isEqualTo(10.0);
        });
        assertThat(interval(500)).as("still the same episode").isEmpty();
        List<SpikeDetector.Transition> settled = interval(20);
        assertThat(settled).singleElement().satisfies(transition -> {
            assertThat(transition.spiking()).isFalse();
            assertThat(transition.ratePerMinute()).isEqualTo(120.0);
        });
        assertThat(interval(20)).isEmpty();
    }

    @Test
    void twiceTheBaselineIsNoSpike() {
        steadyHour();
        assertThat(interval(40)).isEmpty();
        assertThat(interval(100)).as("600 a minute: under 10 times a baseline near 76 a minute").isEmpty();
    }

    @Test
    void aKeyThatStopsDeadSettlesAtTheNextInterval() {
        assertThat(interval(1000)).singleElement().matches(SpikeDetector.Transition::spiking);
        assertThat(interval(0)).singleElement().satisfies(transition -> {
            assertThat(transition.spiking()).isFalse();
            assertThat(transition.ratePerMinute()).isZero();
        });
    }
}
