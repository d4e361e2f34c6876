package dev.bigsegments.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads test input at several buffer sizes and with a stream that returns one byte per read, checks
 * that every way gives the same records, and returns them as readable lines such as "key 3 abc".
 */
final class CsvRecording implements KeyVisitor {
    private static final int[] BUFFER_SIZES = {1, 2, 3, 5, CsvKeyReader.DEFAULT_BUFFER_BYTES};

    final List<String> events = new ArrayList<>();
    CsvImportStats stats;

    static CsvRecording read(String csv) {
        return read(csv.getBytes(StandardCharsets.UTF_8), CsvImportLimits.DEFAULTS);
    }

    static CsvRecording read(byte[] csv, CsvImportLimits limits) {
        CsvRecording first = readOnce(new CsvKeyReader(limits), new ByteArrayInputStream(csv));
        for (int size : BUFFER_SIZES) {
            CsvRecording again = readOnce(new CsvKeyReader(limits, size), new ByteArrayInputStream(csv));
            assertThat(again.events).as("records with a %d-byte buffer", size).isEqualTo(first.events);
            assertThat(again.stats).as("stats with a %d-byte buffer", size).isEqualTo(first.stats);
        }
        CsvRecording trickled = readOnce(new CsvKeyReader(limits), new OneByteAtATime(csv));
        assertThat(trickled.events).as("records read one byte at a time").isEqualTo(first.events);
        return first;
    }

    static CsvRecording readOnce(CsvKeyReader reader, InputStream in) {
        CsvRecording recording = new CsvRecording();
        try {
            recording.stats = reader.read(in, recording);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return recording;
    }

    @Override
    public void key(byte[] utf8, int offset, int length, long line) {
        events.add("key " + line + " " + new String(utf8, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void rejected(long line, String reason) {
        events.add("rejected " + line + " " + reason);
    }

    @Override
    public void blank(long line) {
        events.add("blank " + line);
    }

    /** Returns at most one byte per read, the worst case a socket or decompressor can produce. */
    static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int next;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }
}
