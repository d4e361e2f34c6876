package dev.bigsegments.schemas.registry;

import org.apache.avro.Schema;

/** Three versions of one record for registry tests: v2 follows v1; the third breaks v1 (a field without default). */
final class SampleSchemas {
    static final Schema V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Sample", "fields": [{"name": "id", "type": "string"}]}""");
    static final Schema V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "Sample", "fields": [{"name": "id", "type": "string"},
             {"name": "weight", "type": "int", "default": 1}]}""");
    static final Schema REQUIRED_WEIGHT = new Schema.Parser().parse("""
            {"type": "record", "name": "Sample", "fields": [{"name": "id", "type": "string"},
             {"name": "weight", "type": "int"}]}""");

    private SampleSchemas() {
    }
}
