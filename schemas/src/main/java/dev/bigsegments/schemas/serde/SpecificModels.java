package dev.bigsegments.schemas.serde;

import org.apache.avro.Conversion;
import org.apache.avro.specific.SpecificData;

/**
 * The Avro model for a generated class, bound to that class's own class loader. Avro otherwise
 * resolves record classes by name through the thread's context class loader, which on a Kafka client
 * thread can be a different loader than the application's (Quarkus dev and test modes), so decoded
 * records would be instances of a foreign copy of the class.
 */
public final class SpecificModels {
    private SpecificModels() {
    }

    public static SpecificData of(Class<?> type) {
        SpecificData generated = SpecificData.getForClass(type);
        SpecificData model = new SpecificData(type.getClassLoader());
        for (Conversion<?> conversion : generated.getConversions()) {
            model.addLogicalTypeConversion(conversion);
        }
        return model;
    }
}
