package dev.bigsegments.store.writer;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Partitions being read again from their start to refill environments whose store lost its share of them
 * (or never had it). Per partition: the environments refilled, {@code resumeAt} (the position the writer had
 * reached when the refill began: other environments have every record before it already) and {@code until}
 * (the partition's end when the refill began: records before it refill, every list they hold is added).
 */
final class Refills {
    /** What the writer does with one record. */
    enum Treatment {
        /** Apply its change, as always. */
        APPLY,
        /** Apply every list it holds: it refills its environment's store. */
        REFILL,
        /** Already applied before the partition was read again. */
        SKIP
    }

    private record Refill(long resumeAt, long until, Set<String> environments) {
    }

    private final Map<TopicPartition, Refill> refills = new HashMap<>();

    /**
     * Starts (or widens) the refill of one partition for one environment; the caller then seeks the
     * partition to its start.
     *
     * @param position where the writer is on the partition, every record before it applied
     * @param end the partition's end now
     */
    void start(TopicPartition tp, String environment, long position, long end) {
        Refill current = refills.get(tp);
        Set<String> environments = new HashSet<>(current == null ? Set.of() : current.environments());
        environments.add(environment);
        long resumeAt = current == null ? position : Math.max(current.resumeAt(), position);
        long until = Math.max(Math.max(resumeAt, end), current == null ? 0 : current.until());
        refills.put(tp, new Refill(resumeAt, until, environments));
    }

    Treatment treatment(TopicPartition tp, long offset, String environment) {
        Refill refill = refills.get(tp);
        if (refill == null) {
            return Treatment.APPLY;
        }
        if (offset < refill.until() && refill.environments().contains(environment)) {
            return Treatment.REFILL;
        }
        return offset < refill.resumeAt() ? Treatment.SKIP : Treatment.APPLY;
    }

    /**
     * Ends the refill of a partition once every record before its {@code until} is applied.
     *
     * @param applied the position up to which every record of the partition is applied
     * @return the environments whose share of the partition is now refilled (empty while it goes on)
     */
    Set<String> complete(TopicPartition tp, long applied) {
        Refill refill = refills.get(tp);
        if (refill == null || applied < refill.until()) {
            return Set.of();
        }
        refills.remove(tp);
        return refill.environments();
    }

    /** Whether the partition is being refilled for the environment. */
    boolean covers(TopicPartition tp, String environment) {
        Refill refill = refills.get(tp);
        return refill != null && refill.environments().contains(environment);
    }

    Set<TopicPartition> partitions() {
        return Set.copyOf(refills.keySet());
    }

    boolean refilling(String environment) {
        return refills.values().stream().anyMatch(r -> r.environments().contains(environment));
    }

    /** Partition numbers being refilled, by environment. */
    Map<String, Set<Integer>> byEnvironment() {
        Map<String, Set<Integer>> result = new HashMap<>();
        refills.forEach((tp, r) -> r.environments().forEach(
                env -> result.computeIfAbsent(env, e -> new TreeSet<>()).add(tp.partition())));
        return result;
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(refills::remove);
    }
}
