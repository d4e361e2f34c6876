package dev.bigsegments.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A generated class's schema as the {@code .avsc} file says it, without the properties Avro's Java code
 * generator adds ({@code "avro.java.string": "String"}). That is the schema the serializer registers: a
 * producer in any language registering the same file then gets the same id, as Confluent's serializers do
 * with {@code avro.remove.java.properties}. The properties only tell Java readers which string class to use.
 */
final class PortableSchemas {
    private static final String JAVA_STRING = "avro.java.string";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Schema, Schema> CACHE = new ConcurrentHashMap<>();

    private PortableSchemas() {
    }

    static Schema of(Schema schema) {
        return CACHE.computeIfAbsent(schema, PortableSchemas::strip);
    }

    private static Schema strip(Schema schema) {
        String json = schema.toString();
        if (!json.contains(JAVA_STRING)) {
            return schema;
        }
        try {
            return new Schema.Parser().parse(JSON.writeValueAsString(strip(JSON.readTree(json))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the schema of " + schema.getFullName(), e);
        }
    }

    private static JsonNode strip(JsonNode node) {
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, strip(array.get(i)));
            }
            return array;
        }
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        object.remove(JAVA_STRING);
        if (object.size() == 1 && object.has("type") && object.get("type").isTextual()) {
            return TextNode.valueOf(object.get("type").asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            field.setValue(strip(field.getValue()));
        }
        return object;
    }
}
