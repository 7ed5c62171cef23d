package dev.keysmith;

import java.util.concurrent.atomic.AtomicInteger;

/** Unique names and emails for tests that share one application. */
public final class TestData {

    public static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

    private TestData() {
    }

    public static String email(String who) {
        return who + "-" + RUN + "-" + SEQUENCE.incrementAndGet() + "@example.test";
    }
}
