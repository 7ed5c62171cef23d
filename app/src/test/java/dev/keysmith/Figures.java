package dev.keysmith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Measured figures, printed to the test log (docs/reliability.md quotes them); never asserted. */
final class Figures {

    private Figures() {
    }

    /** {@code p50 X ms, p99 Y ms, max Z ms (n samples)} of durations in nanoseconds (nearest-rank percentiles). */
    static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
                millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)), millis(sorted.get(sorted.size() - 1)),
                sorted.size());
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    static void print(String test, String figure) {
        System.out.println("[figures] " + test + ": " + figure);
    }

    private static long rank(List<Long> sorted, double percentile) {
        int index = (int) Math.ceil(percentile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
