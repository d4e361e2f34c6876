package dev.bigsegments.processor.topology;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.ShardMessage;
import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first step of a processor with more than one shard: admits a command ({@link CommandDoor}, a refused one is
 * a dead letter), hashes its raw keys, and passes each shard its part on the shard topic, in the order the
 * segment's commands came. Membership changes go to the shards of their contexts. An import chunk goes to every
 * shard, with that shard's keys (possibly none), so every shard sees every chunk number and can tell on its own
 * whether the import is whole. Every other command concerns the whole segment and reaches every shard once.
 * Stateless: de-duplication by command id is the shards' (under exactly-once a command read again is routed
 * again only when its first routing was not committed).
 */
final class ShardRouter implements Processor<Bytes, byte[], Bytes, Object> {
    private final int shards;
    private final CommandDoor door;
    private ProcessorContext<Bytes, Object> context;
    private Emitter emitter;

    ShardRouter(int shards, CommandDoor door) {
        this.shards = shards;
        this.door = door;
    }

    @Override
    public void init(ProcessorContext<Bytes, Object> context) {
        this.context = context;
        this.emitter = Emitter.forRouter(context);
    }

    @Override
    public void process(Record<Bytes, byte[]> record) {
        SegmentCommand command = door.admitOrSetAside(context.recordMetadata().map(m -> m.topic()).orElse(""), record,
                emitter);
        if (command == null) {
            return;
        }
        SegmentId segment = new SegmentId(command.getEnvironmentId(), command.getSegmentKey());
        Object payload = command.getPayload();
        if (payload instanceof MembershipChange change) {
            List<List<MemberChange>> parts = split(change.getChanges().size());
            for (MemberChange c : change.getChanges()) {
                ContextHash hash = c.getHash() != null ? c.getHash() : new ContextHash(ContextHashes.digest(c.getRawKey()));
                parts.get(Shards.of(hash.bytes(), shards)).add(new MemberChange(c.getList(), c.getOp(), hash, null));
            }
            for (int shard = 0; shard < shards; shard++) {
                if (!parts.get(shard).isEmpty()) {
                    send(record, segment, shard, copy(command, new MembershipChange(parts.get(shard))));
                }
            }
        } else if (payload instanceof ImportChunk chunk) {
            List<List<ContextHash>> parts = split(chunk.getHashes().size() + chunk.getRawKeys().size());
            for (ContextHash hash : chunk.getHashes()) {
                parts.get(Shards.of(hash.bytes(), shards)).add(hash);
            }
            for (String raw : chunk.getRawKeys()) {
                ContextHash hash = new ContextHash(ContextHashes.digest(raw));
                parts.get(Shards.of(hash.bytes(), shards)).add(hash);
            }
            for (int shard = 0; shard < shards; shard++) {
                send(record, segment, shard, copy(command, new ImportChunk(chunk.getImportId(), chunk.getSequence(),
                        parts.get(shard), List.of())));
            }
        } else {
            for (int shard = 0; shard < shards; shard++) {
                send(record, segment, shard, command);
            }
        }
    }

    private <T> List<List<T>> split(int total) {
        List<List<T>> parts = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            parts.add(new ArrayList<>(total / shards + 16));
        }
        return parts;
    }

    private static SegmentCommand copy(SegmentCommand command, Object payload) {
        return SegmentCommand.newBuilder(command).setPayload(payload).build();
    }

    private void send(Record<Bytes, byte[]> record, SegmentId segment, int shard, SegmentCommand command) {
        context.forward(new Record<>(Bytes.wrap(Shards.key(segment, shard)),
                (Object) ShardMessage.toBytes(new ShardMessage.Command(command)), record.timestamp()),
                SegmentTopology.ROUTER_SHARD_SINK);
    }

    /** Sends a shard topic record to the partition of its shard ({@link Shards#partition}). */
    static final class Partitioner implements StreamPartitioner<Bytes, Object> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, Bytes key, Object value, int numPartitions) {
            byte[] k = key.get();
            return Optional.of(Set.of(Shards.partition(Shards.segmentOf(k), Shards.shardOf(k), numPartitions)));
        }
    }
}
