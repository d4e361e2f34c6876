package dev.bigsegments.deploycheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reads multi-document YAML into JSON objects (the form the schemas are written for). */
final class Manifests {
    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    record Document(String source, int index, JsonObject object) {
        String describe() {
            JsonObject metadata = Json.object(object, "metadata");
            String name = Json.string(metadata, "name");
            name = name != null ? name : Json.string(metadata, "generateName");
            return source + "#" + index + " " + Objects.requireNonNullElse(Json.string(object, "kind"), "?") + "/"
                    + Objects.requireNonNullElse(name, "?");
        }
    }

    static List<Document> read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return read(file.toString(), reader);
        }
    }

    static List<Document> read(String source, Reader reader) throws IOException {
        List<Document> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(reader)) {
            int index = 0;
            while (it.hasNext()) {
                JsonNode node = it.next();
                index++;
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                JsonElement json = JsonParser.parseString(node.toString());
                if (!json.isJsonObject()) {
                    throw new IOException(source + "#" + index + ": a manifest must be an object");
                }
                docs.add(new Document(source, index, json.getAsJsonObject()));
            }
        }
        return docs;
    }
}
