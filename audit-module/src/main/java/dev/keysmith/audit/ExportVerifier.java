package dev.keysmith.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies an audit export offline, without the server: every record's hash is recomputed from its facts
 * ({@link AuditChain}), every record that follows its predecessor (position n after n-1) must name that
 * predecessor's hash as prevHash, and an expected chain head (noted earlier from the UI or {@code /audit/verify})
 * must appear with the same hash. A filtered export skips positions: links are checked where records are
 * consecutive, hashes everywhere.
 *
 * <pre>java -jar app/target/keysmith.jar verify-export trail.ndjson [--head=&lt;position&gt;:&lt;hash&gt;]</pre>
 * (CSV is recognised by its {@code .csv} extension or its header row.) Exit status 0: verified; 1: a break (the
 * message names the line); 2: the command was used wrongly or the file could not be read.
 */
public final class ExportVerifier {

    /** What the verification found: {@code line} is the 1-based line of the first problem (null when verified). */
    public record Result(boolean verified, long records, Long line, String message, ChainHead last) {
    }

    private ExportVerifier() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command line: {@code <file> [--head=<position>:<hash>]}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        ChainHead expected = null;
        for (String arg : args) {
            if (arg.startsWith("--head=")) {
                try {
                    expected = ChainHead.parse(arg.substring("--head=".length()));
                } catch (IllegalArgumentException e) {
                    err.println(e.getMessage());
                    return 2;
                }
            } else if (file == null) {
                file = Path.of(arg);
            } else {
                err.println("Usage: verify-export <file.ndjson|file.csv> [--head=<position>:<hash>]");
                return 2;
            }
        }
        if (file == null) {
            err.println("Usage: verify-export <file.ndjson|file.csv> [--head=<position>:<hash>]");
            return 2;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Result result = verify(reader, file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"),
                    expected);
            (result.verified() ? out : err).println(result.message());
            return result.verified() ? 0 : 1;
        } catch (IOException e) {
            err.println("Cannot read " + file + ": " + e.getMessage());
            return 2;
        }
    }

    /** Verifies an export read from {@code in}; CSV when {@code csv} or when the first line is the CSV header. */
    public static Result verify(Reader in, boolean csv, ChainHead expected) throws IOException {
        BufferedReader reader = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in);
        String header = String.join(",", AuditExports.COLUMNS);
        CsvReader rows = null;
        long line = 0;
        long records = 0;
        AuditRecord previous = null;
        boolean headSeen = false;
        while (true) {
            AuditRecord record;
            long recordLine;
            try {
                if (rows != null) {
                    recordLine = rows.nextLine;
                    List<String> cells = rows.next();
                    if (cells == null) {
                        break;
                    }
                    record = AuditExports.fromCsv(cells);
                } else {
                    String text = reader.readLine();
                    if (text == null) {
                        break;
                    }
                    line++;
                    if (line == 1 && (csv || text.equals(header))) {
                        if (!text.equals(header)) {
                            return new Result(false, 0, 1L, "Line 1: not the CSV header of a Keysmith audit export.", null);
                        }
                        rows = new CsvReader(reader, 2);
                        continue;
                    }
                    if (text.isBlank()) {
                        continue;
                    }
                    recordLine = line;
                    record = AuditExports.fromNdjson(text);
                }
            } catch (IOException malformed) {
                long at = rows != null ? rows.nextLine : line;
                return new Result(false, records, at, "Line " + at + ": unreadable record (" + malformed.getMessage()
                        + ").", previous == null ? null : new ChainHead(previous.position(), previous.hash()));
            }
            records++;
            ChainHead last = previous == null ? null : new ChainHead(previous.position(), previous.hash());
            if (record.hash() == null || !record.hash().equals(AuditChain.hash(record))) {
                return new Result(false, records, recordLine, "Line " + recordLine + " (position " + record.position()
                        + "): altered: its content does not match its hash.", last);
            }
            if (record.position() == 1 && !AuditChain.GENESIS.equals(record.prevHash())) {
                return new Result(false, records, recordLine, "Line " + recordLine
                        + " (position 1): the first record must follow the genesis hash.", last);
            }
            if (previous != null) {
                if (record.position() <= previous.position()) {
                    return new Result(false, records, recordLine, "Line " + recordLine + " (position "
                            + record.position() + "): reordered: it comes after position " + previous.position()
                            + ".", last);
                }
                if (record.position() == previous.position() + 1 && !previous.hash().equals(record.prevHash())) {
                    return new Result(false, records, recordLine, "Line " + recordLine + " (position "
                            + record.position() + "): broken link: prevHash is not the hash of position "
                            + previous.position() + ".", last);
                }
            }
            if (expected != null && record.position() == expected.position()) {
                if (!expected.hash().equalsIgnoreCase(record.hash())) {
                    return new Result(false, records, recordLine, "Line " + recordLine + " (position "
                            + record.position() + "): its hash differs from the expected chain head " + expected
                            + ".", last);
                }
                headSeen = true;
            }
            previous = record;
        }
        ChainHead last = previous == null ? null : new ChainHead(previous.position(), previous.hash());
        if (expected != null && !headSeen) {
            return new Result(false, records, null, "The expected chain head " + expected
                    + " is not in this export (last record: " + (last == null ? "none" : last) + ").", last);
        }
        return new Result(true, records, null, "Verified " + records + " records"
                + (last == null ? "" : "; last " + last) + (expected == null ? "" : "; chain head matches") + ".",
                last);
    }

    /** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks); an unquoted empty cell is null. */
    private static final class CsvReader {
        private final Reader in;
        private long nextLine;
        private int pushback = -2;

        CsvReader(Reader in, long firstLine) {
            this.in = in;
            this.nextLine = firstLine;
        }

        private int read() throws IOException {
            if (pushback != -2) {
                int c = pushback;
                pushback = -2;
                return c;
            }
            return in.read();
        }

        List<String> next() throws IOException {
            int c = read();
            while (c == '\r' || c == '\n') {
                if (c == '\n') {
                    nextLine++;
                }
                c = read();
            }
            if (c == -1) {
                return null;
            }
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (quoted) {
                    if (c == -1) {
                        throw new IOException("unterminated quoted cell");
                    }
                    if (c == '"') {
                        int n = read();
                        if (n == '"') {
                            cell.append('"');
                        } else {
                            quoted = false;
                            c = n;
                            continue;
                        }
                    } else {
                        if (c == '\n') {
                            nextLine++;
                        }
                        cell.append((char) c);
                    }
                } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',' || c == '\r' || c == '\n' || c == -1) {
                    cells.add(cell.isEmpty() && !wasQuoted ? null : cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                    if (c != ',') {
                        if (c == '\r') {
                            int n = read();
                            if (n != '\n') {
                                pushback = n;
                            }
                        }
                        nextLine++;
                        return cells;
                    }
                } else {
                    cell.append((char) c);
                }
                c = read();
            }
        }
    }
}
