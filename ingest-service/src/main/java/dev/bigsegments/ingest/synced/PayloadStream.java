package dev.bigsegments.ingest.synced;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.bigsegments.ingest.body.BodyLimit;
import dev.bigsegments.ingest.body.JsonBodies;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a JSON request body as a stream of tokens, never as a whole tree: only the values at the wanted
 * JSON Pointers are kept, and the elements of the member arrays are handed one at a time to a sink, so
 * memory holds one member, not the body. The body is counted against a limit and hashed (SHA-256, the
 * identity of a retried request) as it is read. The mapper's stream read constraints bound the nesting
 * depth, so the recursion of {@link #value} (which only descends along wanted pointers) is bounded too.
 */
final class PayloadStream {
    private static final int DRAIN_BUFFER = 8 * 1024;

    /** Receives the elements of one member array in order. */
    interface ElementSink {
        void element(int index, JsonNode element);
    }

    /** What was read: the root's first token (null for an empty body), the values found at the wanted pointers, and the body's hash. */
    record Result(JsonToken root, Map<String, JsonNode> values, Map<String, JsonToken> arrayTokens, String sha256) {
        /** The value at {@code pointer}, or a missing node; as {@link JsonNode#at} on the whole body. */
        JsonNode at(String pointer) {
            return values.getOrDefault(pointer, MissingNode.getInstance());
        }

        /** The token that opened the value at a member array's pointer, or null when the body has none. */
        JsonToken arrayToken(String pointer) {
            return arrayTokens.get(pointer);
        }
    }

    private final Set<String> scalars;
    private final Map<String, ElementSink> arrays;
    private final Map<String, JsonNode> values = new HashMap<>();
    private final Map<String, JsonToken> arrayTokens = new HashMap<>();

    private PayloadStream(Collection<String> scalars, Map<String, ElementSink> arrays) {
        this.scalars = scalars.stream().map(PayloadStream::normalize).collect(Collectors.toSet());
        this.arrays = new HashMap<>();
        arrays.forEach((pointer, sink) -> this.arrays.put(normalize(pointer), sink));
    }

    /**
     * @param scalars pointers whose values are kept (they may point into an element of a member array)
     * @param arrays pointers of member arrays, each with the sink that takes its elements
     * @throws dev.bigsegments.ingest.errors.LimitExceeded past the limit
     * @throws dev.bigsegments.ingest.errors.InvalidRequest when the body is not JSON, with its location
     */
    static Result read(ObjectMapper json, InputStream body, BodyLimit limit, Collection<String> scalars,
            Map<String, ElementSink> arrays) {
        PayloadStream stream = new PayloadStream(scalars, arrays);
        DigestInputStream hashed = new DigestInputStream(limit.wrap(body), sha256());
        return JsonBodies.read(json, hashed, parser -> stream.read(parser, hashed));
    }

    private Result read(JsonParser parser, DigestInputStream hashed) throws IOException {
        JsonToken root = parser.nextToken();
        if (root != null) {
            value(parser, "");
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "content after the JSON value");
            }
        }
        byte[] rest = new byte[DRAIN_BUFFER];
        while (hashed.read(rest) >= 0) {
            // Only whitespace can remain; it is part of the body's hash.
        }
        String sha = HexFormat.of().formatHex(hashed.getMessageDigest().digest());
        return new Result(root, values, arrayTokens, sha);
    }

    /**
     * The parser is on the first token of the value at {@code path}; leaves it on the value's last token.
     * It descends only along wanted pointers, and only into a value whose opening token the parser let
     * through within its nesting limit: the recursion is no deeper than that limit.
     */
    private void value(JsonParser parser, String path) throws IOException {
        JsonToken token = parser.currentToken();
        ElementSink sink = arrays.get(path);
        if (sink != null) {
            arrayTokens.put(path, token);
            if (token == JsonToken.START_ARRAY) {
                elements(parser, path, sink);
                return;
            }
        }
        if (scalars.contains(path)) {
            JsonNode node = parser.readValueAsTree();
            values.put(path, node == null ? MissingNode.getInstance() : node);
            within(path, node);
        } else if (!wantedBelow(path)) {
            parser.skipChildren();
        } else if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String child = path + "/" + escape(parser.currentName());
                parser.nextToken();
                value(parser, child);
            }
        } else if (token == JsonToken.START_ARRAY) {
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                value(parser, path + "/" + i);
            }
        }
    }

    private void elements(JsonParser parser, String path, ElementSink sink) throws IOException {
        for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
            JsonNode element = parser.readValueAsTree();
            within(path + "/" + i, element);
            sink.element(i, element);
        }
    }

    /** Keeps the wanted values that lie inside a value already read as a tree. */
    private void within(String path, JsonNode node) {
        if (node == null) {
            return;
        }
        String prefix = path + "/";
        for (String wanted : scalars) {
            if (wanted.startsWith(prefix)) {
                values.put(wanted, node.at(JsonPointer.compile(wanted.substring(path.length()))));
            }
        }
    }

    private boolean wantedBelow(String path) {
        String prefix = path + "/";
        return scalars.stream().anyMatch(p -> p.startsWith(prefix)) || arrays.keySet().stream().anyMatch(p -> p.startsWith(prefix));
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String normalize(String pointer) {
        return JsonPointer.compile(pointer).toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
