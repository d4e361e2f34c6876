package dev.bigsegments.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The compatibility levels of a Confluent-compatible registry, checked with Avro's own reader/writer
 * resolution. BACKWARD: the new schema reads data written with the latest version; FORWARD: the latest
 * version reads data written with the new one; FULL: both. The transitive levels check every earlier
 * version instead of the latest only. The build checks the project's schemas with
 * {@link #BACKWARD_TRANSITIVE}, and the registry endpoint applies the subject's level with the same code.
 */
public enum Compatibility {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** A registry's level when none is configured, and the rule the project's schemas evolve under. */
    public static final Compatibility DEFAULT = BACKWARD_TRANSITIVE;

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    Compatibility(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level named {@code name}, in any case; an IllegalArgumentException with the registry's message otherwise. */
    public static Compatibility parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid compatibility level. Valid values are none, backward, forward,"
                    + " full, backward_transitive, forward_transitive, and full_transitive");
        }
    }

    /**
     * What keeps {@code candidate} from following {@code versions} under this level: one line per problem,
     * naming the version and the place in the schema; empty when compatible.
     *
     * @param versions the earlier versions by number, oldest first
     */
    public List<String> problems(Schema candidate, SortedMap<Integer, Schema> versions) {
        List<String> problems = new ArrayList<>();
        if (versions.isEmpty()) {
            return problems;
        }
        Map<Integer, Schema> checked = transitive ? versions : versions.tailMap(versions.lastKey());
        for (Map.Entry<Integer, Schema> version : checked.entrySet()) {
            if (backward) {
                report(problems, candidate, version.getValue(), "cannot read data written with v" + version.getKey());
            }
            if (forward) {
                report(problems, version.getValue(), candidate, "v" + version.getKey() + " cannot read data written with it");
            }
        }
        return problems;
    }

    private static void report(List<String> problems, Schema reader, Schema writer, String what) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility i : result.getIncompatibilities()) {
            problems.add(String.format("%s: %s at %s (%s)", what, i.getType(), i.getLocation(), i.getMessage()));
        }
    }
}
