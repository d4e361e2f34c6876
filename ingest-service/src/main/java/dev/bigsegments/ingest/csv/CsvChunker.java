package dev.bigsegments.ingest.csv;

import dev.bigsegments.schemas.ContextHashes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a CSV import file and hands its keys, hashed, to a {@link ChunkSink} in chunks of
 * {@code chunkSize}: every full chunk, then the last partial one. A file without accepted keys
 * yields no chunk. When the read fails (I/O, a limit, the sink), the chunks already delivered stay
 * delivered and no partial chunk follows; the caller aborts the import.
 */
public final class CsvChunker {
    /** Keys per chunk: 5,000 digests make a Kafka record of about 160 KB. */
    public static final int DEFAULT_CHUNK_SIZE = 5_000;

    private final CsvKeyReader reader;
    private final int chunkSize;

    public CsvChunker(CsvImportLimits limits) {
        this(new CsvKeyReader(limits), DEFAULT_CHUNK_SIZE);
    }

    public CsvChunker(CsvImportLimits limits, int chunkSize) {
        this(new CsvKeyReader(limits), chunkSize);
    }

    CsvChunker(CsvKeyReader reader, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
        }
        this.reader = reader;
        this.chunkSize = chunkSize;
    }

    public CsvImportStats run(InputStream in, ChunkSink sink) throws IOException {
        return run(in, sink, stats -> { });
    }

    /** As {@link #run(InputStream, ChunkSink)}, reporting counts every few rows to {@code progress}. */
    public CsvImportStats run(InputStream in, ChunkSink sink, Consumer<CsvImportStats> progress)
            throws IOException {
        Accumulator accumulator = new Accumulator(sink, progress);
        CsvImportStats stats = reader.read(in, accumulator);
        accumulator.flush();
        return stats;
    }

    /** How many chunks a completed run delivered, for the import's commit. */
    public long chunkCount(CsvImportStats stats) {
        return (stats.keysAccepted() + chunkSize - 1) / chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    private final class Accumulator implements KeyVisitor {
        private final ChunkSink sink;
        private final Consumer<CsvImportStats> progress;
        private List<byte[]> digests = new ArrayList<>(chunkSize);
        private long sequence;

        Accumulator(ChunkSink sink, Consumer<CsvImportStats> progress) {
            this.sink = sink;
            this.progress = progress;
        }

        @Override
        public void key(byte[] utf8, int offset, int length, long line) {
            digests.add(ContextHashes.digest(utf8, offset, length));
            if (digests.size() == chunkSize) {
                flush();
            }
        }

        @Override
        public void progress(CsvImportStats soFar) {
            progress.accept(soFar);
        }

        void flush() {
            if (!digests.isEmpty()) {
                List<byte[]> full = digests;
                digests = new ArrayList<>(chunkSize);
                sink.chunk(sequence++, full);
            }
        }
    }
}
