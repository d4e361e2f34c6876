package dev.bigsegments.processor.topology;

/**
 * How a processor with shards lays them out: {@code shards} per segment, on a shard topic of {@code partitions}
 * partitions (at least as many), see {@link dev.bigsegments.schemas.Shards}.
 */
public record ShardLayout(int shards, int partitions) {
    public ShardLayout {
        if (shards < 2 || shards > dev.bigsegments.schemas.Shards.MAX) {
            throw new IllegalArgumentException("a sharded processor has 2 to " + dev.bigsegments.schemas.Shards.MAX
                    + " shards, not " + shards);
        }
        if (partitions < shards) {
            throw new IllegalArgumentException(shards + " shards need at least as many partitions of the commands"
                    + " topic; it has " + partitions);
        }
    }
}
