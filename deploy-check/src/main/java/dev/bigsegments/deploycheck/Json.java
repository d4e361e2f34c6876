package dev.bigsegments.deploycheck;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** Lenient reads of manifest fields: a missing or mistyped field reads as absent (the schemas judge it). */
final class Json {
    private Json() {
    }

    /** The object at {@code field}, or an empty object. */
    static JsonObject object(JsonObject o, String field) {
        JsonElement e = o == null ? null : o.get(field);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    }

    /** The array at {@code field}, or an empty array. */
    static JsonArray array(JsonObject o, String field) {
        JsonElement e = o == null ? null : o.get(field);
        return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
    }

    /** The string (or number, as text) at {@code field}, or null. */
    static String string(JsonObject o, String field) {
        JsonElement e = o == null ? null : o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    /** {@code metadata.labels} of an object's metadata. */
    static Map<String, String> labels(JsonObject metadata) {
        Map<String, String> labels = new HashMap<>();
        object(metadata, "labels").entrySet().forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
        return labels;
    }
}
