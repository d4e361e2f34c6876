package dev.bigsegments.ingest.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * Streams the context keys out of a CSV import file: the first field of each RFC 4180 record, with
 * the 1-based line where the record starts. Memory stays constant whatever the file size, and an
 * accepted key costs no allocation.
 *
 * <p>Keys are taken exactly as written: whitespace around them is kept, because a context key is
 * matched byte for byte and {@code " abc"} is a different context from {@code "abc"}. Only the first
 * field is checked for UTF-8; further fields are parsed for their quoting and otherwise ignored.
 *
 * <p>A record is rejected, in this order of precedence, for malformed quoting (a quote inside an
 * unquoted field, anything but a comma or line break after a closing quote, a quote still open at the
 * end of the file), a key longer than {@code maxKeyBytes}, an empty key, or invalid UTF-8. After
 * malformed quoting the rest of that physical line is skipped.
 *
 * <p>Thread-safe: each {@link #read} has its own state.
 */
public final class CsvKeyReader {
    /** How often {@link KeyVisitor#progress} is called. */
    public static final int PROGRESS_INTERVAL_ROWS = 100_000;
    static final int DEFAULT_BUFFER_BYTES = 64 * 1024;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final CsvImportLimits limits;
    private final int bufferBytes;

    public CsvKeyReader(CsvImportLimits limits) {
        this(limits, DEFAULT_BUFFER_BYTES);
    }

    /** Tests use tiny buffers so that every record crosses a buffer boundary somewhere. */
    CsvKeyReader(CsvImportLimits limits, int bufferBytes) {
        this.limits = limits;
        this.bufferBytes = bufferBytes;
    }

    /**
     * Reads {@code in} to the end (it is not closed) and reports each record to {@code visitor}.
     *
     * @throws CsvImportLimitExceeded past a limit; the read stops there
     * @throws InterruptedIOException if the thread is interrupted; checked between buffer fills
     */
    public CsvImportStats read(InputStream in, KeyVisitor visitor) throws IOException {
        ImportTally tally = new ImportTally(limits);
        CsvScanner scanner = new CsvScanner(limits.maxKeyBytes(), new Classifier(limits, tally, visitor));
        skipByteOrderMark(in, scanner, tally);
        byte[] buf = new byte[bufferBytes];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("CSV read interrupted");
            }
            tally.bytesRead(n);
            scanner.feed(buf, 0, n);
        }
        scanner.finish();
        return tally.snapshot();
    }

    /** The byte-order mark is only recognised as the very first bytes of the file. */
    private static void skipByteOrderMark(InputStream in, CsvScanner scanner, ImportTally tally)
            throws IOException {
        byte[] head = in.readNBytes(BOM.length);
        tally.bytesRead(head.length);
        boolean bom = head.length == BOM.length
                && head[0] == BOM[0] && head[1] == BOM[1] && head[2] == BOM[2];
        if (!bom) {
            scanner.feed(head, 0, head.length);
        }
    }

    /** Turns scanned records into accepted keys or rejections, counting each. */
    private static final class Classifier implements CsvScanner.Records {
        private final ImportTally tally;
        private final KeyVisitor visitor;
        private final int maxKeyBytes;
        private final String tooLong;

        Classifier(CsvImportLimits limits, ImportTally tally, KeyVisitor visitor) {
            this.tally = tally;
            this.visitor = visitor;
            this.maxKeyBytes = limits.maxKeyBytes();
            this.tooLong = "key longer than " + maxKeyBytes + " bytes";
        }

        @Override
        public void record(long line, byte[] key, int keyLength, String malformed) {
            String reason = malformed != null ? malformed : problem(key, keyLength);
            if (reason == null) {
                tally.accepted();
                visitor.key(key, 0, keyLength, line);
            } else {
                tally.rejected(line, reason);
                visitor.rejected(line, reason);
            }
            reportProgress();
        }

        @Override
        public void blank(long line) {
            tally.blank();
            visitor.blank(line);
            reportProgress();
        }

        private String problem(byte[] key, int keyLength) {
            if (keyLength > maxKeyBytes) {
                return tooLong;
            }
            if (keyLength == 0) {
                return "empty key";
            }
            return Utf8.isValid(key, 0, keyLength) ? null : "invalid UTF-8";
        }

        private void reportProgress() {
            if (tally.progressDue()) {
                visitor.progress(tally.snapshot());
            }
        }
    }
}
