package dev.bigsegments.schemas.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * BACKWARD_TRANSITIVE, as a Confluent registry would enforce it: the current schema, as reader, must
 * read data written with every earlier version, not just the latest one.
 */
final class BackwardTransitiveCheck {
    private BackwardTransitiveCheck() {
    }

    /** One line per incompatibility, naming the schema, the version and what breaks; empty when compatible. */
    static List<String> incompatibilities(String name, Schema current, SortedMap<Integer, Schema> history) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Integer, Schema> version : history.entrySet()) {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(current, version.getValue()).getResult();
            if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
                for (Incompatibility i : result.getIncompatibilities()) {
                    problems.add(String.format("%s: current schema cannot read data written with v%d: %s at %s (%s)",
                            name, version.getKey(), i.getType(), i.getLocation(), i.getMessage()));
                }
            }
        }
        return problems;
    }
}
