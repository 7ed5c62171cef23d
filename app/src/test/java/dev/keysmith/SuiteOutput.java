package dev.keysmith;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies everything the test JVM writes to standard output and error (the application's log lines included) into
 * {@code target/suite-output.log}, from the moment the JUnit launcher session opens, so that
 * {@link SuiteDumpScanIntegrationTests} can search the whole suite's log for plaintext secrets at the end.
 * Registered in {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public class SuiteOutput implements LauncherSessionListener {

    static final Path FILE = Path.of("target", "suite-output.log");

    private static PrintStream originalOut;
    private static PrintStream originalErr;
    private static OutputStream copy;

    @Override
    public synchronized void launcherSessionOpened(LauncherSession session) {
        if (copy != null) {
            return;
        }
        try {
            Files.createDirectories(FILE.getParent());
            copy = new FileOutputStream(FILE.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut, copy), true));
        System.setErr(new PrintStream(new Tee(originalErr, copy), true));
    }

    @Override
    public synchronized void launcherSessionClosed(LauncherSession session) {
        if (copy == null) {
            return;
        }
        System.setOut(originalOut);
        System.setErr(originalErr);
        try {
            copy.close();
        } catch (IOException ignored) {
            // the copy is only read by the scan, which has run by now
        }
        copy = null;
    }

    /** Whether this JVM's output has been copied since the launcher session opened. */
    static synchronized boolean capturing() {
        return copy != null;
    }

    static synchronized void flush() throws IOException {
        System.out.flush();
        System.err.flush();
        if (copy != null) {
            copy.flush();
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            synchronized (second) {
                second.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            synchronized (second) {
                second.flush();
            }
        }
    }
}
