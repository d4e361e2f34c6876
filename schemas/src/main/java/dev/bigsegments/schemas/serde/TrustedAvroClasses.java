package dev.bigsegments.schemas.serde;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Since Avro 1.12.2, a specific reader may only instantiate classes on Avro's JVM-wide allowlist,
 * and an application's own generated classes are not on it. Reading into {@code T} needs exactly the
 * classes named in T's compiled schema, so those, and only those, are added: names taken from the
 * class itself, never from a writer schema fetched from a registry.
 */
public final class TrustedAvroClasses {
    private static final Set<String> TRUSTED = new HashSet<>();

    private TrustedAvroClasses() {
    }

    /** Allows Avro to instantiate {@code type} and every record, enum and fixed class its schema names. */
    public static synchronized void trust(Class<? extends SpecificRecord> type) {
        Set<String> names = new HashSet<>();
        collectNamedTypes(SpecificData.getForClass(type).getSchema(type), names);
        names.removeAll(TRUSTED);
        if (names.isEmpty()) {
            return;
        }
        ClassSecurityValidator.Builder added = ClassSecurityValidator.builder();
        names.forEach(added::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), added.build()));
        TRUSTED.addAll(names);
    }

    private static void collectNamedTypes(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> collectNamedTypes(f.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case UNION -> schema.getTypes().forEach(t -> collectNamedTypes(t, names));
            case ARRAY -> collectNamedTypes(schema.getElementType(), names);
            case MAP -> collectNamedTypes(schema.getValueType(), names);
            default -> {
                // Primitives need no class of ours.
            }
        }
    }
}
