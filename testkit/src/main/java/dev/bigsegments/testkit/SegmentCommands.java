package dev.bigsegments.testkit;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A test's commands on the commands topic, keyed as the ingest service keys them: one segment's commands, and
 * replace imports of the keys {@code k<from>} to {@code k<to - 1>} in chunks of 1,000.
 */
public final class SegmentCommands {
    private static final int CHUNK = 1_000;

    private final FixtureProducer<byte[], SegmentCommand> producer;
    private final String topic;

    public SegmentCommands(FixtureProducer<byte[], SegmentCommand> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public static SegmentCommand command(SegmentId segment, String commandId, Object payload) {
        return SegmentCommand.newBuilder().setCommandId(commandId).setEnvironmentId(segment.environmentId())
                .setSegmentKey(segment.segmentKey()).setTimestamp(Instant.now()).setPayload(payload).build();
    }

    /** Sends one command and waits until it is written. */
    public void send(SegmentId segment, String commandId, Object payload) {
        producer.send(new ProducerRecord<>(topic, segment.toBytes(), command(segment, commandId, payload)));
        producer.flush();
    }

    /** A replace import of {@code k<from>} to {@code k<to - 1>}, committed. */
    public void replace(SegmentId segment, String importId, int from, int to) {
        long chunks = beginAndChunks(segment, importId, from, to);
        send(segment, importId + ":commit", new ImportCommit(importId, chunks,
                new IngestStats((long) (to - from), 0L, 0L, new ArrayList<>())));
    }

    /**
     * The begin and the chunks of a replace import of {@code k<from>} to {@code k<to - 1>}, not committed.
     *
     * @return the number of chunks, which the commit announces
     */
    public long beginAndChunks(SegmentId segment, String importId, int from, int to) {
        send(segment, importId + ":begin", new ImportBegin(importId, ImportMode.REPLACE, null));
        long sequence = 0;
        for (int i = from; i < to; i += CHUNK) {
            List<ContextHash> chunk = new ArrayList<>();
            for (int k = i; k < Math.min(to, i + CHUNK); k++) {
                chunk.add(new ContextHash(ContextHashes.digest("k" + k)));
            }
            send(segment, importId + ":" + sequence, new ImportChunk(importId, sequence++, chunk, List.of()));
        }
        return sequence;
    }

    /** The context hashes of {@code k<from>} to {@code k<to - 1>}. */
    public static Set<String> hashes(int from, int to) {
        Set<String> out = new HashSet<>();
        for (int i = from; i < to; i++) {
            out.add(ContextHashes.hash("k" + i));
        }
        return out;
    }
}
