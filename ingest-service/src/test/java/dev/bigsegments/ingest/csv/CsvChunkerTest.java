package dev.bigsegments.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.ContextHashes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CsvChunkerTest {
    private final List<Long> sequences = new ArrayList<>();
    private final List<List<String>> chunks = new ArrayList<>();
    private final ChunkSink sink = (sequence, digests) -> {
        sequences.add(sequence);
        chunks.add(digests.stream().map(ContextHashes::encode).collect(Collectors.toList()));
    };

    @Test
    void keysAreHashedAsEveryBigSegmentReaderExpects() throws IOException {
        new CsvChunker(CsvImportLimits.DEFAULTS).run(csv("user-key\r\n\"user1\",x\nuser2\nuser3"), sink);
        assertThat(chunks).containsExactly(List.of(
                "CEXjZY7cHJG/ydFy7q4+YEFwVrG3/pkJwA4FAjrbfx0=",
                "CgQblGLKpKMbrDVn4Lbm/ZEAeH2yq0M9lvbReMq/zpA=",
                "YCXRj+SKvUUWhSjxioLiZd2Y1CGnCEqgn2GzQXA5AaM=",
                "WGD68CtrxiIrpaylI1YPDjZMzYtnvuSG/ov3wB1JLMs="));
    }

    @Test
    void exactlyOneChunkSizeOfKeysIsOneFullChunk() throws IOException {
        CsvChunker chunker = new CsvChunker(CsvImportLimits.DEFAULTS, 3);
        CsvImportStats stats = chunker.run(csv(lines(3)), sink);
        assertThat(sequences).containsExactly(0L);
        assertThat(chunks.get(0)).containsExactly(hash("k1"), hash("k2"), hash("k3"));
        assertThat(chunker.chunkCount(stats)).isEqualTo(1);
    }

    @Test
    void oneKeyMoreThanAChunkMakesAPartialLastChunk() throws IOException {
        CsvChunker chunker = new CsvChunker(CsvImportLimits.DEFAULTS, 3);
        CsvImportStats stats = chunker.run(csv(lines(4)), sink);
        assertThat(sequences).containsExactly(0L, 1L);
        assertThat(chunks).extracting(List::size).containsExactly(3, 1);
        assertThat(chunks.get(1)).containsExactly(hash("k4"));
        assertThat(chunker.chunkCount(stats)).isEqualTo(2);
    }

    @Test
    void fileWithoutKeysMakesNoChunk() throws IOException {
        CsvChunker chunker = new CsvChunker(CsvImportLimits.DEFAULTS, 3);
        CsvImportStats stats = chunker.run(csv("\n\"\"\n\n"), sink);
        assertThat(chunks).isEmpty();
        assertThat(chunker.chunkCount(stats)).isZero();
        assertThat(stats.rowsRead()).isEqualTo(3);
    }

    @Test
    void chunksKeepFileOrderAndDuplicatesAndLeaveOutRejectedRows() throws IOException {
        new CsvChunker(CsvImportLimits.DEFAULTS, 2).run(csv("b\na\n\n\"\"\nb\n\"x\"y\nc"), sink);
        assertThat(chunks).containsExactly(List.of(hash("b"), hash("a")), List.of(hash("b"), hash("c")));
    }

    @Test
    void defaultChunkSizeIsFiveThousand() throws IOException {
        CsvChunker chunker = new CsvChunker(CsvImportLimits.DEFAULTS);
        chunker.run(csv(lines(5_001)), sink);
        assertThat(chunker.chunkSize()).isEqualTo(CsvChunker.DEFAULT_CHUNK_SIZE).isEqualTo(5_000);
        assertThat(chunks).extracting(List::size).containsExactly(5_000, 1);
    }

    @Test
    void progressIsReportedWhileReading() throws IOException {
        List<Long> rowsSeen = new ArrayList<>();
        new CsvChunker(CsvImportLimits.DEFAULTS).run(new GeneratedCsv(250_000), sink,
                soFar -> rowsSeen.add(soFar.rowsRead()));
        assertThat(rowsSeen).containsExactly(100_000L, 200_000L);
        assertThat(chunks).extracting(List::size).allMatch(size -> size <= CsvChunker.DEFAULT_CHUNK_SIZE);
        assertThat(chunks.stream().mapToInt(List::size).sum()).isEqualTo(250_000 - 2_500);
    }

    @Test
    void limitStopsTheRunWithoutAPartialChunk() {
        CsvChunker chunker = new CsvChunker(CsvImportLimits.DEFAULTS.withMaxKeys(4), 3);
        assertThatThrownBy(() -> chunker.run(csv(lines(6)), sink)).isInstanceOf(CsvImportLimitExceeded.class);
        assertThat(sequences).as("the full chunk went out, the partial one did not").containsExactly(0L);
    }

    @Test
    void sinkFailureStopsTheRun() {
        ChunkSink failing = (sequence, digests) -> {
            sequences.add(sequence);
            throw new IllegalStateException("broker down");
        };
        assertThatThrownBy(() -> new CsvChunker(CsvImportLimits.DEFAULTS, 2).run(csv(lines(10)), failing))
                .hasMessage("broker down");
        assertThat(sequences).containsExactly(0L);
    }

    @Test
    void chunkSizeMustBePositive() {
        assertThatThrownBy(() -> new CsvChunker(CsvImportLimits.DEFAULTS, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String lines(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "k" + i + "\n").collect(Collectors.joining());
    }

    private static String hash(String key) {
        return ContextHashes.hash(key);
    }

    private static InputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
