package dev.bigsegments.store.dynamodb;

import dev.bigsegments.store.SetOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges each context's net set operations into the fewest UpdateItems: one when no attribute both gains
 * and loses refs, otherwise two (all ADDs, then all DELETEs). The operations are coalesced per ref, so
 * an ADD and a DELETE never name the same ref and the two updates commute: they may run concurrently.
 */
final class ItemUpdatePlanner {
    private ItemUpdatePlanner() {
    }

    static List<ItemUpdate> plan(List<SetOp> ops) {
        Map<Item, Changes> byItem = new LinkedHashMap<>();
        for (SetOp op : ops) {
            Changes c = byItem.computeIfAbsent(new Item(op.environmentId(), op.contextHash()), i -> new Changes());
            (op.add() ? c.adds : c.deletes).computeIfAbsent(DynamoDbLayout.attribute(op.list()),
                    a -> new ArrayList<>()).add(op.segmentRef());
        }
        List<ItemUpdate> updates = new ArrayList<>(byItem.size());
        byItem.forEach((item, c) -> {
            boolean conflict = c.adds.keySet().stream().anyMatch(c.deletes::containsKey);
            if (conflict) {
                updates.add(new ItemUpdate(item.environmentId(), item.contextHash(), c.adds, Map.of()));
                updates.add(new ItemUpdate(item.environmentId(), item.contextHash(), Map.of(), c.deletes));
            } else {
                updates.add(new ItemUpdate(item.environmentId(), item.contextHash(), c.adds, c.deletes));
            }
        });
        return updates;
    }

    private record Item(String environmentId, String contextHash) {
    }

    /** Sorted by attribute so the same changes always give the same expression. */
    private static final class Changes {
        final Map<String, List<String>> adds = new TreeMap<>();
        final Map<String, List<String>> deletes = new TreeMap<>();
    }
}
