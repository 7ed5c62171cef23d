package dev.keysmith.web.ui;

import dev.keysmith.keys.RequestLogs;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Server-rendered SVG charts: this class computes the geometry, the {@code fragments/charts} templates draw it with
 * SVG attributes only (the CSP forbids inline styles and scripts). Every bar has a title for a tooltip and screen
 * readers, and each chart a text summary.
 */
final class Charts {

    static final int WIDTH = 720;
    static final int HEIGHT = 180;
    static final int TOP = 10;
    static final int BOTTOM = 24;
    static final int LEFT = 40;

    static final String OK = "#198754";
    static final String REDIRECT = "#0dcaf0";
    static final String CLIENT_ERROR = "#fd7e14";
    static final String SERVER_ERROR = "#dc3545";

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd").withZone(ZoneOffset.UTC);

    record Rect(double x, double y, double width, double height, String fill, String title) {
    }

    record Label(double x, double y, String text) {
    }

    /** A chart: its bars, axis labels, the largest value (the top of the axis) and a one-line summary. */
    record Chart(int width, int height, List<Rect> bars, List<Label> labels, long max, String summary, boolean empty) {
        public double baseline() {
            return height - BOTTOM;
        }

        public String viewBox() {
            return "0 0 " + width + " " + height;
        }
    }

    private Charts() {
    }

    static String colour(int status) {
        if (status >= 500) {
            return SERVER_ERROR;
        }
        if (status >= 400) {
            return CLIENT_ERROR;
        }
        return status >= 300 ? REDIRECT : OK;
    }

    /** One bar per status code answered, coloured by class. */
    static Chart histogram(Map<Integer, Long> counts) {
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        List<Rect> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        int n = Math.max(counts.size(), 1);
        double slot = (WIDTH - LEFT) / (double) Math.max(n, 6);
        double plot = HEIGHT - TOP - BOTTOM;
        int i = 0;
        for (Map.Entry<Integer, Long> entry : counts.entrySet()) {
            double h = max == 0 ? 0 : Math.max(1, plot * entry.getValue() / max);
            double x = LEFT + i * slot + slot * 0.15;
            bars.add(new Rect(x, TOP + plot - h, slot * 0.7, h, colour(entry.getKey()),
                    entry.getKey() + ": " + entry.getValue() + " request" + (entry.getValue() == 1 ? "" : "s")));
            labels.add(new Label(x + slot * 0.35, HEIGHT - 8, String.valueOf(entry.getKey())));
            i++;
        }
        StringBuilder summary = new StringBuilder(total + " request" + (total == 1 ? "" : "s"));
        counts.forEach((status, count) -> summary.append(", ").append(status).append(": ").append(count));
        return new Chart(WIDTH, HEIGHT, bars, labels, max, summary.toString(), total == 0);
    }

    /** Stacked bars per bucket: 2xx at the bottom, then 4xx, then 5xx. */
    static Chart series(List<RequestLogs.Bucket> buckets, RequestLogs.Resolution resolution) {
        long max = buckets.stream().mapToLong(RequestLogs.Bucket::total).max().orElse(0);
        long ok = buckets.stream().mapToLong(RequestLogs.Bucket::ok).sum();
        long clientErrors = buckets.stream().mapToLong(RequestLogs.Bucket::clientErrors).sum();
        long serverErrors = buckets.stream().mapToLong(RequestLogs.Bucket::serverErrors).sum();
        double slot = (WIDTH - LEFT) / (double) Math.max(buckets.size(), 1);
        double plot = HEIGHT - TOP - BOTTOM;
        DateTimeFormatter format = resolution == RequestLogs.Resolution.HOURS_24 ? HOUR : DAY;
        List<Rect> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            RequestLogs.Bucket bucket = buckets.get(i);
            double x = LEFT + i * slot + slot * 0.1;
            double y = TOP + plot;
            String when = format.format(bucket.start()) + (resolution == RequestLogs.Resolution.HOURS_24 ? " UTC" : "");
            long[] values = {bucket.ok(), bucket.clientErrors(), bucket.serverErrors()};
            String[] colours = {OK, CLIENT_ERROR, SERVER_ERROR};
            String[] names = {"2xx", "4xx", "5xx"};
            for (int s = 0; s < values.length; s++) {
                if (values[s] == 0 || max == 0) {
                    continue;
                }
                double h = Math.max(1, plot * values[s] / max);
                y -= h;
                bars.add(new Rect(x, y, slot * 0.8, h, colours[s], when + ": " + values[s] + " " + names[s]));
            }
            int every = resolution == RequestLogs.Resolution.HOURS_24 ? 4 : 5;
            if (i % every == 0) {
                labels.add(new Label(x + slot * 0.4, HEIGHT - 8, format.format(bucket.start())));
            }
        }
        String summary = (ok + clientErrors + serverErrors) + " requests: " + ok + " 2xx, " + clientErrors + " 4xx, "
                + serverErrors + " 5xx";
        return new Chart(WIDTH, HEIGHT, bars, labels, max, summary, ok + clientErrors + serverErrors == 0);
    }
}
