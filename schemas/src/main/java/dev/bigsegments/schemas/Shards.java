package dev.bigsegments.schemas;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.utils.Utils;

/**
 * How a segment's members are spread over the stream processor's tasks when it runs with more than one shard.
 * A context belongs to shard {@code (first two digest bytes) mod shards}. Shard {@code s} of a segment is
 * processed on partition {@code (p + s) mod partitions} of the shard topic, where {@code p} is the partition
 * the segment's commands have on the commands topic (Kafka's default partitioner): so shard 0 is where the
 * whole segment was before, and with no more shards than partitions a segment's shards are on distinct tasks.
 *
 * <p>A shard topic key is the segment id's bytes, a NUL and the shard (2 bytes, big-endian).
 */
public final class Shards {
    /** The most shards a deployment may have: a shard is 2 bytes of a key. */
    public static final int MAX = 1 << 15;

    private Shards() {
    }

    /** The topic between the processor's router and its shards: the commands topic's name and {@code .shards}. */
    public static String topic(TopicNames topics) {
        return topics.commands() + ".shards";
    }

    /** The prefix of {@link #layoutStore}'s name. */
    public static final String LAYOUT_STORE_PREFIX = "shards-";

    /**
     * The sharded processor's layout store: empty, named after the shard count. Its changelog topic
     * ({@link #layoutChangelog}), made when the topology first runs (or by {@code shards migrate}) and deleted with
     * the rest of the application's state, records how the state is laid out, so that a processor started with
     * another count can be refused before it reads a command.
     */
    public static String layoutStore(int shards) {
        return LAYOUT_STORE_PREFIX + shards;
    }

    /** The changelog topic of {@link #layoutStore}, which Kafka Streams names after the application id. */
    public static String layoutChangelog(String applicationId, int shards) {
        return applicationId + "-" + layoutStore(shards) + "-changelog";
    }

    public static int of(byte[] digest, int shards) {
        return (((digest[0] & 0xFF) << 8) | (digest[1] & 0xFF)) % shards;
    }

    public static byte[] key(SegmentId segment, int shard) {
        byte[] id = segment.toBytes();
        return ByteBuffer.allocate(id.length + 3).put(id).put((byte) 0).putShort((short) shard).array();
    }

    public static int shardOf(byte[] key) {
        return ByteBuffer.wrap(key, key.length - 2, 2).getShort() & 0xFFFF;
    }

    public static SegmentId segmentOf(byte[] key) {
        if (key.length < 4 || key[key.length - 3] != 0) {
            throw new IllegalArgumentException("not a shard key");
        }
        return SegmentId.fromBytes(Arrays.copyOf(key, key.length - 3));
    }

    /** The partition of the segment's commands on a topic of {@code partitions} partitions. */
    public static int home(SegmentId segment, int partitions) {
        return Utils.toPositive(Utils.murmur2(segment.toBytes())) % partitions;
    }

    public static int partition(SegmentId segment, int shard, int partitions) {
        return (home(segment, partitions) + shard) % partitions;
    }

    /** Which shard of the segment the task of {@code partition} holds. */
    public static int shardAt(SegmentId segment, int partition, int partitions) {
        return Math.floorMod(partition - home(segment, partitions), partitions);
    }
}
