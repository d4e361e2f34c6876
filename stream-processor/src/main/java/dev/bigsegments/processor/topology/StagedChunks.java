package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.schemas.ContextHashes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An import's staging area: each chunk is kept as it came, its digests concatenated in one staging
 * record per piece of at most {@link #PIECE_DIGESTS} keys, so staging costs one store write (and one
 * changelog record) per chunk piece instead of one per key. Reads come back in slices of a bounded
 * number of keys from a cursor: the piece id followed by the offset (4 bytes) of the next key in it.
 */
final class StagedChunks {
    /** Keys per staging record: 256 KiB of digests, well under Kafka's default 1 MiB record limit. */
    static final int PIECE_DIGESTS = 8_192;
    private static final int DIGEST = ContextHashes.DIGEST_BYTES;

    private final KeyValueStore<Bytes, byte[]> staging;

    StagedChunks(KeyValueStore<Bytes, byte[]> staging) {
        this.staging = staging;
    }

    /** How many missing or unexpected chunks an error names at most. */
    static final int NAMED = 10;

    /** Whether the chunk with this sequence number is staged. */
    boolean has(byte[] prefix, long sequence) {
        return staging.get(StateKeys.piece(prefix, sequence, 0)) != null;
    }

    /**
     * Why the staged chunks are not exactly the chunks 0 to {@code expected - 1}, or null when they are.
     * {@code staged} distinct chunks with none numbered {@code expected} or more are exactly those, so a whole
     * import costs one seek; the chunks are listed only to name what is wrong.
     */
    String incompleteness(byte[] prefix, long staged, long expected) {
        boolean beyond;
        try (KeyValueIterator<Bytes, byte[]> it = staging.range(StateKeys.piece(prefix, expected, 0),
                StateKeys.pieceRangeEnd(prefix))) {
            beyond = it.hasNext();
        }
        if (staged == expected && !beyond) {
            return null;
        }
        java.util.TreeSet<Long> present = new java.util.TreeSet<>();
        try (KeyValueIterator<Bytes, byte[]> it = staging.range(StateKeys.pieceRangeStart(prefix, null),
                StateKeys.pieceRangeEnd(prefix))) {
            it.forEachRemaining(kv -> present.add(ByteBuffer.wrap(StateKeys.pieceIdOf(kv.key)).getLong()));
        }
        List<Long> missing = new ArrayList<>();
        for (long s = 0; s < expected && missing.size() < NAMED; s++) {
            if (!present.contains(s)) {
                missing.add(s);
            }
        }
        List<Long> unexpected = present.tailSet(expected).stream().limit(NAMED).toList();
        return "the sender announced " + expected + " chunk(s) and " + present.size() + " arrived"
                + (missing.isEmpty() ? "" : "; missing chunk(s) " + missing + (missing.size() == NAMED ? " and more" : ""))
                + (unexpected.isEmpty() ? "" : "; chunk(s) " + unexpected + " beyond the count");
    }

    /**
     * Stages one chunk's digests (concatenated) under its sequence number, so a chunk staged again replaces
     * itself and the commit can tell whether every chunk arrived.
     */
    void stage(byte[] prefix, long sequence, byte[] digests) {
        int piece = 0;
        int from = 0;
        do {
            int to = Math.min(digests.length, from + PIECE_DIGESTS * DIGEST);
            staging.put(StateKeys.piece(prefix, sequence, piece++), Arrays.copyOfRange(digests, from, to));
            from = to;
        } while (from < digests.length);
    }

    /** Up to {@code max} staged digests after the cursor; the iterator is closed before the caller writes. */
    Slice read(byte[] prefix, byte[] cursor, int max) {
        return read(prefix, cursor, max, null);
    }

    /**
     * As {@link #read(byte[], byte[], int)}, stopping at {@code until} (a cursor this method returned before), or at
     * the end when null: the slice then ends exactly there.
     */
    Slice read(byte[] prefix, byte[] cursor, int max, byte[] until) {
        byte[] fromPiece = pieceOf(cursor);
        int fromOffset = offsetOf(cursor);
        byte[] untilPiece = pieceOf(until);
        List<byte[]> digests = new ArrayList<>(Math.min(max, PIECE_DIGESTS));
        byte[] piece = fromPiece;
        int offset = fromOffset;
        boolean more = false;
        try (KeyValueIterator<Bytes, byte[]> it = staging.range(StateKeys.pieceRangeStart(prefix, fromPiece),
                StateKeys.pieceRangeEnd(prefix))) {
            while (it.hasNext()) {
                if (digests.size() == max) {
                    more = true;
                    break;
                }
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] at = StateKeys.pieceIdOf(kv.key);
                int count = kv.value.length / DIGEST;
                if (untilPiece != null) {
                    int order = Arrays.compareUnsigned(at, untilPiece);
                    if (order > 0) {
                        break;
                    }
                    if (order == 0) {
                        count = Math.min(count, offsetOf(until));
                    }
                }
                piece = at;
                int start = Arrays.equals(piece, fromPiece) ? fromOffset : 0;
                int take = Math.min(count - start, max - digests.size());
                for (int i = start; i < start + take; i++) {
                    digests.add(Arrays.copyOfRange(kv.value, i * DIGEST, (i + 1) * DIGEST));
                }
                offset = start + take;
                if (offset < count) {
                    more = true;
                    break;
                }
            }
        }
        byte[] next = piece == null ? null
                : ByteBuffer.allocate(StateKeys.PIECE_ID_BYTES + Integer.BYTES).put(piece).putInt(offset).array();
        return new Slice(digests, next, !more);
    }

    private static byte[] pieceOf(byte[] cursor) {
        return cursor == null ? null : Arrays.copyOf(cursor, StateKeys.PIECE_ID_BYTES);
    }

    private static int offsetOf(byte[] cursor) {
        return cursor == null ? 0 : ByteBuffer.wrap(cursor, StateKeys.PIECE_ID_BYTES, Integer.BYTES).getInt();
    }

    /**
     * Deletes the import's first staging records, up to about {@code max} keys' worth (at least one record).
     *
     * @return true when the staging area is empty
     */
    boolean drop(byte[] prefix, int max) {
        List<Bytes> keys = new ArrayList<>();
        long digests = 0;
        boolean more = false;
        try (KeyValueIterator<Bytes, byte[]> it = staging.range(StateKeys.pieceRangeStart(prefix, null),
                StateKeys.pieceRangeEnd(prefix))) {
            while (it.hasNext()) {
                if (digests >= max) {
                    more = true;
                    break;
                }
                KeyValue<Bytes, byte[]> kv = it.next();
                keys.add(kv.key);
                digests += Math.max(1, kv.value.length / DIGEST);
            }
        }
        keys.forEach(staging::delete);
        return !more;
    }

    /**
     * @param cursor where the next slice starts, null when nothing was staged
     * @param last no staged key is left after this slice
     */
    record Slice(List<byte[]> digests, byte[] cursor, boolean last) {
    }
}
