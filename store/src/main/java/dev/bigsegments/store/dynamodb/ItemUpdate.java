package dev.bigsegments.store.dynamodb;

import java.util.List;
import java.util.Map;

/**
 * One UpdateItem on one membership item: refs to ADD to and DELETE from its string sets, by attribute.
 * No attribute appears in both maps, since one UpdateExpression cannot ADD and DELETE the same attribute.
 */
record ItemUpdate(String environmentId, String contextHash, Map<String, List<String>> adds,
        Map<String, List<String>> deletes) {

    int refCount() {
        return adds.values().stream().mapToInt(List::size).sum() + deletes.values().stream().mapToInt(List::size).sum();
    }
}
