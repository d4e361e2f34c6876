package dev.bigsegments.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class CsvKeyReaderStreamingTest {
    private static final long ROWS = 2_000_000;

    @Test
    void millionsOfRowsStreamInConstantMemoryWithoutAllocatingPerRow() throws IOException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Tally tally = new Tally();
        CsvKeyReader reader = new CsvKeyReader(CsvImportLimits.DEFAULTS);

        long before = threads.getCurrentThreadAllocatedBytes();
        CsvImportStats stats = reader.read(new GeneratedCsv(ROWS), tally);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        long blanks = ROWS / 100;
        assertThat(stats.rowsRead()).isEqualTo(ROWS);
        assertThat(stats.blankLines()).isEqualTo(blanks).isEqualTo(tally.blanks);
        assertThat(stats.keysAccepted()).isEqualTo(ROWS - blanks).isEqualTo(tally.keys);
        assertThat(stats.rejectedRows()).isZero();
        assertThat(tally.numberSum).as("every key read whole, on its own line").isEqualTo(expectedNumberSum());
        assertThat(tally.progressCalls).isEqualTo(ROWS / CsvKeyReader.PROGRESS_INTERVAL_ROWS);
        assertThat(tally.sameBuffer).as("one key buffer reused for every row").isTrue();
        // Dozens of bytes per row would show up here as tens of megabytes.
        assertThat(allocated).as("bytes allocated for %d rows", ROWS).isLessThan(2_000_000);
    }

    private static long expectedNumberSum() {
        long sum = 0;
        for (long n = 1; n <= ROWS; n++) {
            sum += GeneratedCsv.isBlank(n) ? 0 : n;
        }
        return sum;
    }

    /** Checks each key against its line number (key user-n is on line n) and keeps only counts. */
    private static final class Tally implements KeyVisitor {
        long keys;
        long blanks;
        long numberSum;
        long progressCalls;
        byte[] buffer;
        boolean sameBuffer = true;

        @Override
        public void key(byte[] utf8, int offset, int length, long line) {
            keys++;
            sameBuffer &= buffer == null || buffer == utf8;
            buffer = utf8;
            long n = 0;
            for (int i = offset + "user-".length(); i < offset + length; i++) {
                n = n * 10 + (utf8[i] - '0');
            }
            numberSum += n == line ? n : -1_000_000_000L;
        }

        @Override
        public void blank(long line) {
            blanks++;
        }

        @Override
        public void progress(CsvImportStats soFar) {
            progressCalls++;
        }
    }
}
