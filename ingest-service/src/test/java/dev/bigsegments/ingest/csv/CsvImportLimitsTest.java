package dev.bigsegments.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvImportLimitsTest {

    @Test
    void defaultsAreDocumentedValues() {
        assertThat(CsvImportLimits.DEFAULTS).isEqualTo(new CsvImportLimits(256, 10_000_000L, 1_000L, 2L << 30));
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> CsvImportLimits.DEFAULTS.withMaxKeyBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxKeyBytes");
        assertThatThrownBy(() -> CsvImportLimits.DEFAULTS.withMaxRejectedRows(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRejectedRows");
        assertThat(CsvImportLimits.DEFAULTS.withMaxRejectedRows(0).maxRejectedRows()).isZero();
    }

    @Test
    void rejectedRowsUpToTheLimitAreAllowed() throws IOException {
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxRejectedRows(2);
        CsvImportStats stats = read("\"\"\na\n\"\"\n", limits, new ArrayList<>());
        assertThat(stats.rejectedRows()).isEqualTo(2);
    }

    @Test
    void oneRejectedRowTooManyStopsTheRead() {
        List<String> keys = new ArrayList<>();
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxRejectedRows(2);
        assertThatThrownBy(() -> read("\"\"\na\n\"\"\n\"\"\nb\n", limits, keys))
                .isInstanceOfSatisfying(CsvImportLimitExceeded.class, e -> {
                    assertThat(e).hasMessage(
                            "more than 2 rejected rows (limit bigsegments.ingest.csv.max-rejected-rows)");
                    assertThat(e.limit()).isEqualTo("bigsegments.ingest.csv.max-rejected-rows");
                    assertThat(e.value()).isEqualTo(2);
                    assertThat(e.stats().rejectedRows()).isEqualTo(3);
                    assertThat(e.stats().rejections()).extracting(CsvImportStats.Rejection::line)
                            .containsExactly(1L, 3L, 4L);
                });
        assertThat(keys).as("nothing after the limit is read").containsExactly("a");
    }

    @Test
    void zeroRejectedRowsAllowedStopsAtTheFirst() {
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxRejectedRows(0);
        assertThatThrownBy(() -> read("a\n\"x\"y\n", limits, new ArrayList<>()))
                .isInstanceOf(CsvImportLimitExceeded.class)
                .hasMessage("more than 0 rejected rows (limit bigsegments.ingest.csv.max-rejected-rows)");
    }

    @Test
    void exactlyMaxKeysIsAllowedAndOneMoreStopsTheRead() throws IOException {
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxKeys(3);
        assertThat(read("a\nb\n\na\n", limits, new ArrayList<>()).keysAccepted()).isEqualTo(3);

        List<String> keys = new ArrayList<>();
        assertThatThrownBy(() -> read("a\nb\n\na\nc\nd\n", limits, keys))
                .isInstanceOfSatisfying(CsvImportLimitExceeded.class, e -> {
                    assertThat(e).hasMessage("more than 3 keys (limit bigsegments.ingest.csv.max-keys)");
                    assertThat(e.stats().keysAccepted()).isEqualTo(4);
                    assertThat(e.stats().rowsRead()).isEqualTo(5);
                });
        assertThat(keys).containsExactly("a", "b", "a");
    }

    @Test
    void fileOfExactlyMaxBytesIsAllowedAndOneMoreStopsTheRead() throws IOException {
        String csv = "\uFEFFabc\r\n"; // 3 + 5 bytes: the byte-order mark counts
        CsvImportStats stats = read(csv, CsvImportLimits.DEFAULTS.withMaxFileBytes(8), new ArrayList<>());
        assertThat(stats.bytesRead()).isEqualTo(8);
        assertThatThrownBy(() -> read(csv, CsvImportLimits.DEFAULTS.withMaxFileBytes(7), new ArrayList<>()))
                .isInstanceOfSatisfying(CsvImportLimitExceeded.class, e -> {
                    assertThat(e).hasMessage("more than 7 bytes (limit bigsegments.ingest.csv.max-file-bytes)");
                    assertThat(e.value()).isEqualTo(7);
                });
    }

    @Test
    void fileSizeLimitStopsAnEndlessStreamEarly() {
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxFileBytes(1_000_000);
        KeyVisitor ignore = (utf8, offset, length, line) -> { };
        assertThatThrownBy(() -> new CsvKeyReader(limits).read(new GeneratedCsv(Long.MAX_VALUE), ignore))
                .isInstanceOfSatisfying(CsvImportLimitExceeded.class,
                        e -> assertThat(e.stats().bytesRead()).isBetween(1_000_001L, 1_000_000L + 65_536));
    }

    private static CsvImportStats read(String csv, CsvImportLimits limits, List<String> keys)
            throws IOException {
        return new CsvKeyReader(limits).read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                (utf8, offset, length, line) -> keys.add(new String(utf8, offset, length, StandardCharsets.UTF_8)));
    }
}
