package dev.bigsegments.cli.diff;

import dev.bigsegments.schemas.avro.MemberList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The segment refs of every membership set of one environment, as a store holds them or should. */
public final class Memberships {
    private final Map<Slot, Set<String>> sets = new HashMap<>();

    public void put(Slot slot, String ref, boolean member) {
        if (member) {
            sets.computeIfAbsent(slot, s -> new HashSet<>(2)).add(ref);
            return;
        }
        Set<String> refs = sets.get(slot);
        if (refs != null && refs.remove(ref) && refs.isEmpty()) {
            sets.remove(slot);
        }
    }

    /** Sets the included and excluded lists of one (hash, ref) to a membership state; a tombstone is neither. */
    public void setState(String contextHash, String ref, boolean included, boolean excluded) {
        put(new Slot(MemberList.INCLUDED, contextHash), ref, included);
        put(new Slot(MemberList.EXCLUDED, contextHash), ref, excluded);
    }

    public Set<String> refs(Slot slot) {
        return sets.getOrDefault(slot, Set.of());
    }

    public Set<Slot> slots() {
        return sets.keySet();
    }

    /** Number of (slot, ref) memberships. */
    public long size() {
        return sets.values().stream().mapToLong(Set::size).sum();
    }
}
