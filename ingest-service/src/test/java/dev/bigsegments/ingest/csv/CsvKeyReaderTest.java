package dev.bigsegments.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvKeyReaderTest {

    @Test
    void firstColumnOfEachRecordIsAKeyWithItsLine() {
        assertThat(CsvRecording.read("a\nb,ignored,more\nc\n").events)
                .containsExactly("key 1 a", "key 2 b", "key 3 c");
    }

    @Test
    void crlfLfAndLoneCrAllEndARecord() {
        assertThat(CsvRecording.read("a\r\nb\nc\rd").events)
                .containsExactly("key 1 a", "key 2 b", "key 3 c", "key 4 d");
    }

    @Test
    void mixedLineEndingsWithBlankLinesKeepLineNumbersRight() {
        assertThat(CsvRecording.read("a\r\n\r\nb\n\nc\r\rd\n\r\ne").events).containsExactly(
                "key 1 a", "blank 2", "key 3 b", "blank 4", "key 5 c", "blank 6", "key 7 d", "blank 8",
                "key 9 e");
    }

    @Test
    void blankLinesAreSkippedAndCountedIncludingTrailingOnes() {
        CsvRecording read = CsvRecording.read("a\n\n\nb\n\n\r\n");
        assertThat(read.events).containsExactly("key 1 a", "blank 2", "blank 3", "key 4 b", "blank 5", "blank 6");
        assertThat(read.stats.rowsRead()).isEqualTo(6);
        assertThat(read.stats.blankLines()).isEqualTo(4);
        assertThat(read.stats.keysAccepted()).isEqualTo(2);
    }

    @Test
    void lastRecordNeedsNoLineBreak() {
        assertThat(CsvRecording.read("a\nb").events).containsExactly("key 1 a", "key 2 b");
    }

    @Test
    void emptyInputHasNoRows() {
        CsvRecording read = CsvRecording.read("");
        assertThat(read.events).isEmpty();
        assertThat(read.stats).isEqualTo(new CsvImportStats(0, 0, 0, 0, 0, List.of()));
    }

    @Test
    void quotedKeyKeepsCommasAndUndoesDoubledQuotes() {
        assertThat(CsvRecording.read("\"a,b\"\"c\",x\n\"\"\"\"\n").events)
                .containsExactly("key 1 a,b\"c", "key 2 \"");
    }

    @Test
    void newlinesInsideAQuotedKeyAdvanceTheLineCounter() {
        assertThat(CsvRecording.read("\"multi\nline\r\nkey\",x\nnext\n\"lone\rcr\"\nlast").events)
                .containsExactly("key 1 multi\nline\r\nkey", "key 4 next", "key 5 lone\rcr", "key 7 last");
    }

    @Test
    void quotedLaterColumnsWithNewlinesAreParsedAndIgnored() {
        assertThat(CsvRecording.read("a,\"x\ny,\"\"z\"\"\r\nw\",more\nb\n").events)
                .containsExactly("key 1 a", "key 4 b");
    }

    @Test
    void byteOrderMarkAtTheStartIsSkipped() {
        byte[] csv = bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "abc\r\ndef\r\n");
        CsvRecording read = CsvRecording.read(csv, CsvImportLimits.DEFAULTS);
        assertThat(read.events).containsExactly("key 1 abc", "key 2 def");
        assertThat(read.stats.bytesRead()).isEqualTo(csv.length);
    }

    @Test
    void byteOrderMarkAloneIsAnEmptyFile() {
        assertThat(CsvRecording.read("\uFEFF").events).isEmpty();
    }

    @Test
    void byteOrderMarkAnywhereElseIsPartOfTheKey() {
        assertThat(CsvRecording.read("a\n\uFEFFb\n").events).containsExactly("key 1 a", "key 2 \uFEFFb");
    }

    @Test
    void shortFilesThatStartLikeAByteOrderMarkAreData() {
        byte[] partialBom = {(byte) 0xEF, (byte) 0xBB, '\n', 'a'};
        assertThat(CsvRecording.read(partialBom, CsvImportLimits.DEFAULTS).events)
                .containsExactly("rejected 1 invalid UTF-8", "key 2 a");
        assertThat(CsvRecording.read("ab").events).containsExactly("key 1 ab");
    }

    @Test
    void whitespaceAroundKeysIsKept() {
        assertThat(CsvRecording.read(" abc ,x\n\t\n").events).containsExactly("key 1  abc ", "key 2 \t");
    }

    @Test
    void emptyKeysAreRejected() {
        assertThat(CsvRecording.read("\"\"\n,x\n\"\",y\na").events).containsExactly(
                "rejected 1 empty key", "rejected 2 empty key", "rejected 3 empty key", "key 4 a");
    }

    @Test
    void quoteInsideAnUnquotedFieldRejectsTheRow() {
        assertThat(CsvRecording.read("ab\"c,d\nkey,5\" screen\nnext").events).containsExactly(
                "rejected 1 quote inside an unquoted field (column 1)",
                "rejected 2 quote inside an unquoted field (column 2)",
                "key 3 next");
    }

    @Test
    void characterAfterAClosingQuoteRejectsTheRow() {
        assertThat(CsvRecording.read("\"ab\"c\n\"ab\" ,x\nk,\"v\"w\nnext").events).containsExactly(
                "rejected 1 unexpected character after a closing quote (column 1)",
                "rejected 2 unexpected character after a closing quote (column 1)",
                "rejected 3 unexpected character after a closing quote (column 2)",
                "key 4 next");
    }

    @Test
    void afterMalformedQuotingReadingResumesAtTheNextLineBreak() {
        assertThat(CsvRecording.read("\"ab\"c,\"x\ny\"\nnext").events).containsExactly(
                "rejected 1 unexpected character after a closing quote (column 1)",
                "rejected 2 quote inside an unquoted field (column 1)",
                "key 3 next");
    }

    @Test
    void quoteStillOpenAtTheEndRejectsItsRow() {
        assertThat(CsvRecording.read("a\n\"open,\nmore\n").events)
                .containsExactly("key 1 a", "rejected 2 unterminated quoted field (column 1)");
        assertThat(CsvRecording.read("a\nb,\"open").events)
                .containsExactly("key 1 a", "rejected 2 unterminated quoted field (column 2)");
    }

    @Test
    void keyOfExactlyMaxBytesIsAcceptedAndOneMoreIsRejected() {
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxKeyBytes(8);
        assertThat(read("12345678\n123456789\n\"1234567,\"\n\"12345678,\"\n", limits)).containsExactly(
                "key 1 12345678", "rejected 2 key longer than 8 bytes",
                "key 3 1234567,", "rejected 4 key longer than 8 bytes");
    }

    @Test
    void keyLengthIsCountedInUtf8Bytes() {
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxKeyBytes(8);
        assertThat(read("éééé\néééé1\n😀😀\n", limits)).containsExactly(
                "key 1 éééé", "rejected 2 key longer than 8 bytes", "key 3 😀😀");
    }

    @Test
    void hugeKeyIsRejectedWithoutBeingHeld() {
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxKeyBytes(16);
        String huge = "k".repeat(200_000);
        CsvRecording read = CsvRecording.readOnce(new CsvKeyReader(limits, 7),
                new ByteArrayInputStream((huge + ",x\nok\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(read.events).containsExactly("rejected 1 key longer than 16 bytes", "key 2 ok");
    }

    @Test
    void keysSpanningBufferBoundariesAreWhole() {
        String keys = "alpha-0001\r\n\"beta,\"\"quoted\"\"\",x\ngamma-3\n";
        CsvRecording read = CsvRecording.readOnce(new CsvKeyReader(CsvImportLimits.DEFAULTS, 4),
                new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)));
        assertThat(read.events).containsExactly("key 1 alpha-0001", "key 2 beta,\"quoted\"", "key 3 gamma-3");
    }

    @Test
    void malformedQuotingTakesPrecedenceOverLength() {
        CsvImportLimits limits = CsvImportLimits.DEFAULTS.withMaxKeyBytes(2);
        assertThat(read("abcdef\"\n", limits)).containsExactly("rejected 1 quote inside an unquoted field (column 1)");
    }

    @Test
    void everyRowIsCountedOnceAndRejectionsKeepTheirLines() {
        CsvRecording read = CsvRecording.read("a\n\n\"\"\nb\n\"x\"y\n");
        CsvImportStats stats = read.stats;
        assertThat(stats.rowsRead()).isEqualTo(5);
        assertThat(stats.blankLines() + stats.keysAccepted() + stats.rejectedRows()).isEqualTo(stats.rowsRead());
        assertThat(stats.rejections()).containsExactly(
                new CsvImportStats.Rejection(3, "empty key"),
                new CsvImportStats.Rejection(5, "unexpected character after a closing quote (column 1)"));
    }

    @Test
    void onlyTheFirstRejectionsAreKeptButAllAreCounted() {
        String csv = "\"\"\n".repeat(CsvImportStats.KEPT_REJECTIONS + 50);
        CsvRecording read = CsvRecording.readOnce(new CsvKeyReader(CsvImportLimits.DEFAULTS),
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        assertThat(read.stats.rejectedRows()).isEqualTo(CsvImportStats.KEPT_REJECTIONS + 50);
        assertThat(read.stats.rejections()).hasSize(CsvImportStats.KEPT_REJECTIONS);
        assertThat(read.stats.rejections().get(CsvImportStats.KEPT_REJECTIONS - 1).line())
                .isEqualTo(CsvImportStats.KEPT_REJECTIONS);
    }

    @Test
    void interruptedReadStops() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> new CsvKeyReader(CsvImportLimits.DEFAULTS)
                            .read(new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)),
                                    (k, o, l, line) -> { }))
                    .isInstanceOf(InterruptedIOException.class);
        } finally {
            Thread.interrupted();
        }
    }

    private static List<String> read(String csv, CsvImportLimits limits) {
        return CsvRecording.read(csv.getBytes(StandardCharsets.UTF_8), limits).events;
    }

    static byte[] bytes(byte[] prefix, String rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        out.writeBytes(rest.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
