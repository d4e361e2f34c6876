package dev.bigsegments.ingest.csv;

import java.util.List;

/** Where {@link CsvChunker} delivers hashed keys, chunk by chunk, on the reading thread. */
@FunctionalInterface
public interface ChunkSink {

    /**
     * One chunk: {@code sequence} counts from 0; {@code digests} are the 32-byte SHA-256 digests of
     * the keys' UTF-8 bytes, in file order, duplicates kept. The list and its arrays are new for each
     * chunk and belong to the sink. An exception thrown here stops the read and propagates.
     */
    void chunk(long sequence, List<byte[]> digests);
}
