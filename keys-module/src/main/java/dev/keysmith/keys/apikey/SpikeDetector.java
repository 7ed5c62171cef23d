package dev.keysmith.keys.apikey;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.KeysProperties;
import dev.keysmith.keys.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Per key, compares the request rate of the last interval (one usage flush) with a baseline: an exponentially
 * weighted moving average of the rate that follows the last {@code spikeBaselineWindow}. A spike starts when the
 * rate is at least {@code spikeMinRatePerMinute} and more than {@code spikeMultiple} times the baseline; it
 * settles when the rate falls back to or under that threshold. Called by the flusher only (one thread): no
 * locks. Each node judges its own traffic; the aggregate makes each episode one event.
 */
final class SpikeDetector {

    /** A key started or ended a spike episode. */
    record Transition(ApiKeyId keyId, TenantId tenantId, boolean spiking, Instant at, double ratePerMinute,
                      double baselinePerMinute, double multiple) {
    }

    private static final class State {
        final TenantId tenantId;
        double baseline;
        boolean spiking;

        State(TenantId tenantId) {
            this.tenantId = tenantId;
        }
    }

    /** A key's count over the interval that ended now. */
    record Observation(TenantId tenantId, long count) {
    }

    private final double multiple;
    private final double minRate;
    private final Duration window;
    private final Map<ApiKeyId, State> states = new HashMap<>();

    SpikeDetector(double multiple, double minRatePerMinute, Duration window) {
        this.multiple = multiple;
        this.minRate = minRatePerMinute;
        this.window = window;
    }

    SpikeDetector(KeysProperties properties) {
        this(properties.spikeMultiple(), properties.spikeMinRatePerMinute(), properties.spikeBaselineWindow());
    }

    /**
     * Judges one interval: {@code counts} holds the keys used in it; keys known from earlier intervals and absent
     * now count as unused. Returns the keys that started or ended a spike.
     */
    List<Transition> observe(Map<ApiKeyId, Observation> counts, Duration interval, Instant now) {
        double minutes = Math.max(interval.toMillis(), 1) / 60_000.0;
        double alpha = 1 - Math.exp(-(double) Math.max(interval.toMillis(), 1) / window.toMillis());
        List<Transition> transitions = new ArrayList<>();
        for (Map.Entry<ApiKeyId, Observation> entry : counts.entrySet()) {
            states.computeIfAbsent(entry.getKey(), id -> new State(entry.getValue().tenantId()));
        }
        Iterator<Map.Entry<ApiKeyId, State>> all = states.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<ApiKeyId, State> entry = all.next();
            State state = entry.getValue();
            Observation observed = counts.get(entry.getKey());
            double rate = observed == null ? 0 : observed.count() / minutes;
            boolean above = rate >= minRate && rate > multiple * state.baseline;
            if (above && !state.spiking) {
                state.spiking = true;
                transitions.add(new Transition(entry.getKey(), state.tenantId, true, now, rate, state.baseline, multiple));
            } else if (!above && state.spiking) {
                state.spiking = false;
                transitions.add(new Transition(entry.getKey(), state.tenantId, false, now, rate, state.baseline, multiple));
            }
            state.baseline += alpha * (rate - state.baseline);
            if (!state.spiking && state.baseline < 1e-3) {
                all.remove();
            }
        }
        return transitions;
    }

    boolean spiking(ApiKeyId keyId) {
        State state = states.get(keyId);
        return state != null && state.spiking;
    }

    double baseline(ApiKeyId keyId) {
        State state = states.get(keyId);
        return state == null ? 0 : state.baseline;
    }
}
